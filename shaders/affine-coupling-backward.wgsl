// affine-coupling-backward: gradients of y = exp(log_s) * x + b.
//   dx = g * exp(log_s);  db = g;  dlog_s = g * exp(log_s) * x
// The WN-output gradient is laid out like the WN output: db, then dlog_s.

override WorkgroupSize: u32 = 64;

struct Params {
  n: u32,         // N * H * T
  channels: u32,  // H
  length: u32,    // T
}

@group(0) @binding(0) var<storage, read> x: array<f32>;          // [N, H, T]
@group(0) @binding(1) var<storage, read> wn: array<f32>;         // [N, 2H, T]
@group(0) @binding(2) var<storage, read> grad: array<f32>;       // [N, H, T]
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;   // [N, H, T]
@group(0) @binding(4) var<storage, read_write> dwn: array<f32>;  // [N, 2H, T]
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.n) { return; }
  let ht = params.channels * params.length;
  let b_at = (i / ht) * 2u * ht + i % ht;
  let scale = exp(wn[b_at + ht]);
  let g = grad[i];
  dx[i] = g * scale;
  dwn[b_at] = g;
  dwn[b_at + ht] = g * scale * x[i];
}
