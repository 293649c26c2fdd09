// matrix-inverse: inverse and log|det| of small square matrices (WaveGlow's
// invertible 1x1 convolutions, C <= 64) by Gauss-Jordan elimination with
// partial pivoting, one invocation per matrix. log|det| is the sum of the
// logs of the pivots' magnitudes; a singular matrix gives -inf and a
// non-finite inverse. Reference: torch.inverse / torch.slogdet, and the
// float64 CPU twin in matrixInverse.test.ts.

struct Params {
  batch: u32,  // number of matrices
  size: u32,   // C
}

@group(0) @binding(0) var<storage, read> a: array<f32>;               // [B, C, C]
@group(0) @binding(1) var<storage, read_write> work: array<f32>;      // [B, C, 2C] scratch
@group(0) @binding(2) var<storage, read_write> inverse: array<f32>;   // [B, C, C]
@group(0) @binding(3) var<storage, read_write> log_abs_det: array<f32>;  // [B]
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let m = gid.x;
  if (m >= params.batch) { return; }
  let c = params.size;
  let w = 2u * c;
  let base = m * c * w;
  // [A | I]
  for (var r = 0u; r < c; r++) {
    for (var k = 0u; k < c; k++) {
      work[base + r * w + k] = a[m * c * c + r * c + k];
      work[base + r * w + c + k] = select(0.0, 1.0, r == k);
    }
  }
  var log_det = 0.0;
  for (var col = 0u; col < c; col++) {
    var pivot_row = col;
    var best = abs(work[base + col * w + col]);
    for (var r = col + 1u; r < c; r++) {
      let v = abs(work[base + r * w + col]);
      if (v > best) { best = v; pivot_row = r; }
    }
    if (pivot_row != col) {
      for (var k = 0u; k < w; k++) {
        let t = work[base + col * w + k];
        work[base + col * w + k] = work[base + pivot_row * w + k];
        work[base + pivot_row * w + k] = t;
      }
    }
    let p = work[base + col * w + col];
    log_det += log(abs(p));
    let inv_p = 1.0 / p;
    for (var k = 0u; k < w; k++) { work[base + col * w + k] *= inv_p; }
    for (var r = 0u; r < c; r++) {
      if (r == col) { continue; }
      let f = work[base + r * w + col];
      if (f == 0.0) { continue; }
      for (var k = 0u; k < w; k++) {
        work[base + r * w + k] -= f * work[base + col * w + k];
      }
    }
  }
  for (var r = 0u; r < c; r++) {
    for (var k = 0u; k < c; k++) {
      inverse[m * c * c + r * c + k] = work[base + r * w + c + k];
    }
  }
  log_abs_det[m] = log_det;
}
