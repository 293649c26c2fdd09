// gated-tanh-sigmoid-backward: gradient of the gated unit with respect to its
// pre-activation x = a + cond (equal for a and cond). Recomputes tanh and
// sigmoid from the inputs instead of storing them.
// d/dx_tanh = g * s * (1 - t^2); d/dx_sig = g * t * s * (1 - s).

override WorkgroupSize: u32 = 64;

struct Params {
  n_out: u32,     // N * C * T, gradient elements of the output
  channels: u32,  // C
  length: u32,    // T
}

@group(0) @binding(0) var<storage, read> a: array<f32>;        // [N, 2C, T]
@group(0) @binding(1) var<storage, read> cond: array<f32>;     // [N, 2C, T]
@group(0) @binding(2) var<storage, read> grad: array<f32>;     // [N, C, T]
@group(0) @binding(3) var<storage, read_write> dx: array<f32>; // [N, 2C, T]
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.n_out) { return; }
  let ct = params.channels * params.length;
  let n = i / ct;
  let rest = i % ct;
  let tanh_at = n * 2u * ct + rest;
  let sig_at = tanh_at + ct;
  let t = safe_tanh(a[tanh_at] + cond[tanh_at]);
  let s = safe_sigmoid(a[sig_at] + cond[sig_at]);
  let g = grad[i];
  dx[tanh_at] = g * s * (1.0 - t * t);
  dx[sig_at] = g * t * s * (1.0 - s);
}
