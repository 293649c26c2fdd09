// mlstm-backward-m: step t of backpropagation through time, second kernel.
// dm = W_m^T dz (dz: the gate gradients of step t from mlstm-backward-cell),
// then through m = xproj_m * r: d xproj_m = dm * r and dr = dm * xproj_m.
// One invocation per (text n, unit k). Masked texts get zeros.
// Reference: mlstmReference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  texts: u32,   // N
  hidden: u32,  // H
  steps: u32,   // T
  t: u32,       // the step differentiated now
}

@group(0) @binding(0) var<storage, read> xproj: array<f32>;    // [N, T, 5H]
@group(0) @binding(1) var<storage, read> lengths: array<u32>;  // [N]
@group(0) @binding(2) var<storage, read> wm: array<f32>;       // [4H, H]
@group(0) @binding(3) var<storage, read> r: array<f32>;        // [N, T, H] W_mh h_{t-1}
@group(0) @binding(4) var<storage, read_write> dxproj: array<f32>;  // [N, T, 5H]
@group(0) @binding(5) var<storage, read_write> dr: array<f32>;      // [N, T, H]
@group(0) @binding(6) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let idx = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (idx >= p.texts * p.hidden) { return; }
  let n = idx / p.hidden;
  let k = idx % p.hidden;
  let row = (n * p.steps + p.t) * 5u * p.hidden;
  let at = (n * p.steps + p.t) * p.hidden + k;
  if (p.t >= lengths[n]) {
    dxproj[row + k] = 0.0;
    dr[at] = 0.0;
    return;
  }
  var dm = 0.0;
  for (var u = 0u; u < 4u * p.hidden; u++) {
    dm += wm[u * p.hidden + k] * dxproj[row + p.hidden + u];
  }
  dxproj[row + k] = dm * r[at];
  dr[at] = dm * xproj[row + k];
}
