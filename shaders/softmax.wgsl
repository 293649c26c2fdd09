// softmax / log-softmax along one axis of x viewed as [outer, len, inner].
// One invocation per row (o, i), three passes over it: max, sum of
// exp(x - max), write. Subtracting the max keeps exp <= 1, so inputs of
// 1e4 are fine. Reference: softmaxReference in src/engine/ops/softmax.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  outer: u32,      // product of the axes before the softmax axis
  len: u32,        // length of the softmax axis (>= 1)
  inner: u32,      // product of the axes after it
  log_output: u32, // 1: log-softmax, 0: softmax
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let row = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (row >= p.outer * p.inner) { return; }
  let base = (row / p.inner) * p.len * p.inner + row % p.inner;

  var m = x[base];
  for (var j = 1u; j < p.len; j++) { m = max(m, x[base + j * p.inner]); }
  var s = 0.0;
  for (var j = 0u; j < p.len; j++) { s += exp(x[base + j * p.inner] - m); }

  if (p.log_output == 1u) {
    let log_z = m + log(s);
    for (var j = 0u; j < p.len; j++) {
      let at = base + j * p.inner;
      y[at] = x[at] - log_z;
    }
  } else {
    let inv = 1.0 / s;
    for (var j = 0u; j < p.len; j++) {
      let at = base + j * p.inner;
      y[at] = exp(x[at] - m) * inv;
    }
  }
}
