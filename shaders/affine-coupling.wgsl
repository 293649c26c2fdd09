// affine-coupling: WaveGlow's coupling transform of the second half of the
// channels, with log-scale and shift from the WN output (b first, log_s second).
//   forward: y = exp(log_s) * x + b
//   inverse: x = (y - b) * exp(-log_s)
// Reference: WaveGlow.forward / infer in training/waveglow/model.py.

override WorkgroupSize: u32 = 64;
override Inverse: bool = false;

struct Params {
  n: u32,         // N * H * T elements of x
  channels: u32,  // H, channels of x (the WN output has 2H)
  length: u32,    // T
}

@group(0) @binding(0) var<storage, read> x: array<f32>;      // [N, H, T]
@group(0) @binding(1) var<storage, read> wn: array<f32>;     // [N, 2H, T]: b, then log_s
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // [N, H, T]
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.n) { return; }
  let ht = params.channels * params.length;
  let b_at = (i / ht) * 2u * ht + i % ht;
  let b = wn[b_at];
  let log_s = wn[b_at + ht];
  if (Inverse) {
    y[i] = (x[i] - b) * exp(-log_s);
  } else {
    y[i] = exp(log_s) * x[i] + b;
  }
}
