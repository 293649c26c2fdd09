// gated-tanh-sigmoid: WaveNet's gated unit, fused with the conditioning add.
// x = a + cond over [N, 2C, T]; out[n, c, t] = tanh(x[n, c, t]) * sigmoid(x[n, C + c, t]).
// Reference: PyTorch fused_add_tanh_sigmoid_multiply (training/waveglow/model.py),
// CPU twin in gatedTanhSigmoid.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  n_out: u32,     // N * C * T, output elements
  channels: u32,  // C, the output channels (input has 2C)
  length: u32,    // T
}

@group(0) @binding(0) var<storage, read> a: array<f32>;     // [N, 2C, T]
@group(0) @binding(1) var<storage, read> cond: array<f32>;  // [N, 2C, T]
@group(0) @binding(2) var<storage, read_write> out: array<f32>;  // [N, C, T]
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.n_out) { return; }
  let ct = params.channels * params.length;
  let n = i / ct;
  let rest = i % ct;  // c * T + t
  let tanh_at = n * 2u * ct + rest;
  let sig_at = tanh_at + ct;
  let t = safe_tanh(a[tanh_at] + cond[tanh_at]);
  let s = safe_sigmoid(a[sig_at] + cond[sig_at]);
  out[i] = t * s;
}
