// softmax / log-softmax backward along one axis of x viewed as
// [outer, len, inner], one invocation per row. The softmax is recomputed from
// x (max and sum passes), so the forward output need not be kept.
//   softmax:     dx = y * (g - sum_j g_j y_j)
//   log-softmax: dx = g - y * sum_j g_j       (y = softmax)
// Reference: softmaxGradReference in src/engine/ops/softmax.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  outer: u32,      // product of the axes before the softmax axis
  len: u32,        // length of the softmax axis (>= 1)
  inner: u32,      // product of the axes after it
  log_output: u32, // 1: gradient of log-softmax, 0: of softmax
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

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
  let inv = 1.0 / s;

  // dot = sum g y for softmax, sum g for log-softmax
  var dot = 0.0;
  for (var j = 0u; j < p.len; j++) {
    let at = base + j * p.inner;
    let w = select(exp(x[at] - m) * inv, 1.0, p.log_output == 1u);
    dot += g[at] * w;
  }
  for (var j = 0u; j < p.len; j++) {
    let at = base + j * p.inner;
    let y = exp(x[at] - m) * inv;
    if (p.log_output == 1u) {
      dx[at] = g[at] - y * dot;
    } else {
      dx[at] = y * (g[at] - dot);
    }
  }
}
