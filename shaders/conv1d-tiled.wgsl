// conv1d, register-tiled: same contract as conv1d.wgsl, but each invocation
// computes 4 output channels x 8 time steps in eight vec4 accumulators (per
// channel, lanes = time, two vec4 halves). Fully unrolled, no arrays, no
// barriers: the shape that runs fast on SwiftShader (measured there at 256->512
// channels, k 3, d 2: about 10x the naive kernel; 4x8 beat 4x4 by about 1.4x).
// Tiles that touch the padding load from clamped indices and zero those taps
// with select; interior tiles (nearly all) run one flat loop over (ci, k)
// without either. Channel tiles never cross a group; edge channels and time
// steps are clamped onto valid ones and not stored.
// Grid: x = time tiles, y = groups * ceil(cout_g / 4) channel tiles, z = batch.
// Reference: convReference in src/engine/ops/conv-reference.ts.

override WorkgroupX: u32 = 8;
override WorkgroupY: u32 = 8;

const TimeTile: u32 = 8u;  // time steps per invocation (conv1d.ts sizes the grid by it)

struct Params {
  batch: u32,     // N
  c_in: u32,      // input channels (all groups)
  in_len: u32,    // L
  c_out: u32,     // output channels (all groups)
  out_len: u32,   // Lout
  k: u32,         // kernel taps
  stride: u32,
  pad: u32,       // zero padding on each side
  dil: u32,       // dilation between taps
  groups: u32,
  has_bias: u32,  // 0: the bias binding aliases w and is ignored
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// x at 4 tap positions q of one input row starting at xb; zero outside [0, len)
fn load_padded(xb: u32, q: vec4i, len: i32) -> vec4f {
  let inside = (q >= vec4i(0)) & (q < vec4i(len));
  let qc = vec4u(clamp(q, vec4i(0), vec4i(len - 1)));
  let v = vec4f(x[xb + qc.x], x[xb + qc.y], x[xb + qc.z], x[xb + qc.w]);
  return select(vec4f(0.0), v, inside);
}

@compute @workgroup_size(WorkgroupX, WorkgroupY)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let p = params;
  let cin_g = p.c_in / p.groups;
  let cout_g = p.c_out / p.groups;
  let tiles_g = (cout_g + 3u) / 4u;
  let g = gid.y / tiles_g;
  let t0 = gid.x * TimeTile;
  if (g >= p.groups || t0 >= p.out_len) { return; }
  let col0 = (gid.y % tiles_g) * 4u;
  let n = gid.z;

  // output channels of this tile, edge ones clamped inside the group
  let last = cout_g - 1u;
  let co0 = g * cout_g + col0;
  let co1 = g * cout_g + min(col0 + 1u, last);
  let co2 = g * cout_g + min(col0 + 2u, last);
  let co3 = g * cout_g + min(col0 + 3u, last);
  // weights of one output channel are a contiguous row of cin_g * k
  let wrow = cin_g * p.k;
  let w0 = co0 * wrow;
  let w1 = co1 * wrow;
  let w2 = co2 * wrow;
  let w3 = co3 * wrow;

  // first tap position of time steps t0..t0+3 (lo) and t0+4..t0+7 (hi)
  let s = i32(p.stride);
  let lo = vec4i(i32(t0) * s - i32(p.pad)) + vec4i(0, s, 2 * s, 3 * s);
  let hi = lo + vec4i(4 * s);
  let len = i32(p.in_len);
  let x_group = (n * p.c_in + g * cin_g) * p.in_len;

  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  var a3 = vec4f(0.0);
  var b0 = vec4f(0.0);
  var b1 = vec4f(0.0);
  var b2 = vec4f(0.0);
  var b3 = vec4f(0.0);
  let reach = i32((p.k - 1u) * p.dil);
  if (lo.x >= 0 && hi.w + reach < len) {
    // one flat loop over (ci, k): the weight index is j itself, and x steps by
    // dil within a channel and jumps to the next channel at each wrap
    let st = p.stride;
    let wrap = p.in_len - p.k * p.dil;  // u32 wrap-around is intended
    var q = x_group + u32(lo.x);
    var kk = 0u;
    for (var j = 0u; j < wrow; j++) {
      let xl = vec4f(x[q], x[q + st], x[q + 2u * st], x[q + 3u * st]);
      let q4 = q + 4u * st;
      let xh = vec4f(x[q4], x[q4 + st], x[q4 + 2u * st], x[q4 + 3u * st]);
      let v0 = w[w0 + j];
      let v1 = w[w1 + j];
      let v2 = w[w2 + j];
      let v3 = w[w3 + j];
      a0 += v0 * xl;
      a1 += v1 * xl;
      a2 += v2 * xl;
      a3 += v3 * xl;
      b0 += v0 * xh;
      b1 += v1 * xh;
      b2 += v2 * xh;
      b3 += v3 * xh;
      q += p.dil;
      kk++;
      if (kk == p.k) {
        kk = 0u;
        q += wrap;
      }
    }
  } else {
    for (var ci = 0u; ci < cin_g; ci++) {
      let xb = x_group + ci * p.in_len;
      for (var kk = 0u; kk < p.k; kk++) {
        let tap = vec4i(i32(kk * p.dil));
        let xl = load_padded(xb, lo + tap, len);
        let xh = load_padded(xb, hi + tap, len);
        let j = ci * p.k + kk;
        let v0 = w[w0 + j];
        let v1 = w[w1 + j];
        let v2 = w[w2 + j];
        let v3 = w[w3 + j];
        a0 += v0 * xl;
        a1 += v1 * xl;
        a2 += v2 * xl;
        a3 += v3 * xl;
        b0 += v0 * xh;
        b1 += v1 * xh;
        b2 += v2 * xh;
        b3 += v3 * xh;
      }
    }
  }

  let out = (n * p.c_out + co0) * p.out_len + t0;
  let cols = p.out_len - t0;
  let rows = cout_g - col0;
  store_row(out, a0, b0, bias_of(co0), cols);
  if (rows > 1u) { store_row(out + p.out_len, a1, b1, bias_of(co1), cols); }
  if (rows > 2u) { store_row(out + 2u * p.out_len, a2, b2, bias_of(co2), cols); }
  if (rows > 3u) { store_row(out + 3u * p.out_len, a3, b3, bias_of(co3), cols); }
}

fn bias_of(co: u32) -> f32 {
  if (params.has_bias != 0u) { return bias[co]; }
  return 0.0;
}

// writes the first min(8, cols) of (lo, hi) + b at y[at..]
fn store_row(at: u32, lo: vec4f, hi: vec4f, b: f32, cols: u32) {
  store4(at, lo + b, cols);
  if (cols > 4u) { store4(at + 4u, hi + b, cols - 4u); }
}

// writes the first min(4, cols) lanes of v at y[at..]
fn store4(at: u32, v: vec4f, cols: u32) {
  y[at] = v.x;
  if (cols > 1u) { y[at + 1u] = v.y; }
  if (cols > 2u) { y[at + 2u] = v.z; }
  if (cols > 3u) { y[at + 3u] = v.w; }
}
