// mlstm-backward-h: step t of backpropagation through time, third kernel:
// the gradient of h_{t-1}, carry_h = W_mh^T dr, for texts still running at t
// (masked texts already passed theirs through in mlstm-backward-cell).
// One invocation per (text n, unit k). Reference: mlstmReference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  texts: u32,   // N
  hidden: u32,  // H
  steps: u32,   // T
  t: u32,       // the step differentiated now
}

@group(0) @binding(0) var<storage, read> lengths: array<u32>;  // [N]
@group(0) @binding(1) var<storage, read> wmh: array<f32>;      // [H, H]
@group(0) @binding(2) var<storage, read> dr: array<f32>;       // [N, T, H]
@group(0) @binding(3) var<storage, read_write> carry: array<f32>;  // [N, 2H]
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let idx = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (idx >= p.texts * p.hidden) { return; }
  let n = idx / p.hidden;
  let k = idx % p.hidden;
  if (p.t >= lengths[n]) { return; }
  let row = (n * p.steps + p.t) * p.hidden;
  var acc = 0.0;
  for (var j = 0u; j < p.hidden; j++) {
    acc += wmh[j * p.hidden + k] * dr[row + j];
  }
  carry[n * 2u * p.hidden + k] = acc;
}
