// mlstm-backward-cell: step t of backpropagation through time, first kernel.
// From the carried gradient of (h_t, c_t) plus the outside gradient of step t,
// the gradients of the four gate pre-activations of unit j (written to the
// gate part of dxproj) and of c_{t-1} (written to carry_c). carry_h is
// replaced later by mlstm-backward-h. Masked texts (t >= length[n]) pass the
// gradient through to step t-1 and get zero gate gradients.
// Reference: mlstmReference.ts (checked against finite differences).

override WorkgroupSize: u32 = 64;

struct Params {
  texts: u32,   // N
  hidden: u32,  // H
  steps: u32,   // T
  t: u32,       // the step differentiated now (T-1 down to 0)
}

@group(0) @binding(0) var<storage, read> dstates: array<f32>;  // [N, T, 2H] outside gradient
@group(0) @binding(1) var<storage, read> states: array<f32>;   // [N, T, 2H] forward h | c
@group(0) @binding(2) var<storage, read> init: array<f32>;     // [N, 2H]
@group(0) @binding(3) var<storage, read> lengths: array<u32>;  // [N]
@group(0) @binding(4) var<storage, read> gates: array<f32>;    // [N, T, 4H] i f o u
@group(0) @binding(5) var<storage, read_write> carry: array<f32>;  // [N, 2H] d(h, c)_t
@group(0) @binding(6) var<storage, read_write> dxproj: array<f32>; // [N, T, 5H]
@group(0) @binding(7) var<uniform> params: Params;

fn prev_c(n: u32, j: u32) -> f32 {
  let p = params;
  if (p.t == 0u) { return init[n * 2u * p.hidden + p.hidden + j]; }
  return states[(n * p.steps + p.t - 1u) * 2u * p.hidden + p.hidden + j];
}

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let idx = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (idx >= p.texts * p.hidden) { return; }
  let n = idx / p.hidden;
  let j = idx % p.hidden;
  let hc = n * 2u * p.hidden + j;
  let st = (n * p.steps + p.t) * 2u * p.hidden + j;
  let dh = carry[hc] + dstates[st];
  var dc = carry[hc + p.hidden] + dstates[st + p.hidden];
  let dg = (n * p.steps + p.t) * 5u * p.hidden + p.hidden + j;
  if (p.t >= lengths[n]) {
    carry[hc] = dh;
    carry[hc + p.hidden] = dc;
    for (var q = 0u; q < 4u; q++) { dxproj[dg + q * p.hidden] = 0.0; }
    return;
  }
  let g = (n * p.steps + p.t) * 4u * p.hidden + j;
  let i = gates[g];
  let f = gates[g + p.hidden];
  let o = gates[g + 2u * p.hidden];
  let u = gates[g + 3u * p.hidden];
  let tc = safe_tanh(states[st + p.hidden]);
  dc += dh * o * (1.0 - tc * tc);
  dxproj[dg] = dc * u * i * (1.0 - i);
  dxproj[dg + p.hidden] = dc * prev_c(n, j) * f * (1.0 - f);
  dxproj[dg + 2u * p.hidden] = dh * tc * o * (1.0 - o);
  dxproj[dg + 3u * p.hidden] = dc * i * (1.0 - u * u);
  carry[hc + p.hidden] = dc * f;
}
