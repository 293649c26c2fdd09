// mlstm-step-m: step t of the multiplicative LSTM, first half (kernel A).
// r = W_mh h_{t-1}; m = xproj_m[t] * r, one invocation per (text n, unit j).
// Texts with t >= length[n] are masked: they write zeros (keeps BPTT sums finite).
// r, m and h_{t-1} go to slot `slot` of the saved buffers (t when saving for
// backward, 0 as a scratch row otherwise). Reference: mlstmReference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  texts: u32,   // N
  hidden: u32,  // H
  steps: u32,   // T, padded length of xproj and states
  t: u32,       // the step computed now
  slot: u32,    // step index into the saved buffers
  slots: u32,   // steps held by the saved buffers (T or 1)
}

@group(0) @binding(0) var<storage, read> xproj: array<f32>;    // [N, T, 5H]: m part first
@group(0) @binding(1) var<storage, read> states: array<f32>;   // [N, T, 2H]: h | c
@group(0) @binding(2) var<storage, read> init: array<f32>;     // [N, 2H]: h0 | c0
@group(0) @binding(3) var<storage, read> lengths: array<u32>;  // [N]
@group(0) @binding(4) var<storage, read> wmh: array<f32>;      // [H, H]
@group(0) @binding(5) var<storage, read_write> r: array<f32>;      // [N, slots, H]
@group(0) @binding(6) var<storage, read_write> m: array<f32>;      // [N, slots, H]
@group(0) @binding(7) var<storage, read_write> hprev: array<f32>;  // [N, slots, H]
@group(0) @binding(8) var<uniform> params: Params;

// h_{t-1}[n, k]: the initial state at t = 0
fn prev_h(n: u32, k: u32) -> f32 {
  let p = params;
  if (p.t == 0u) { return init[n * 2u * p.hidden + k]; }
  return states[(n * p.steps + p.t - 1u) * 2u * p.hidden + k];
}

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.texts * p.hidden) { return; }
  let n = i / p.hidden;
  let j = i % p.hidden;
  let at = (n * p.slots + p.slot) * p.hidden + j;
  if (p.t >= lengths[n]) {
    r[at] = 0.0;
    m[at] = 0.0;
    hprev[at] = 0.0;
    return;
  }
  var acc = 0.0;
  let row = j * p.hidden;
  for (var k = 0u; k < p.hidden; k++) {
    acc += wmh[row + k] * prev_h(n, k);
  }
  r[at] = acc;
  m[at] = xproj[(n * p.steps + p.t) * 5u * p.hidden + j] * acc;
  hprev[at] = prev_h(n, j);
}
