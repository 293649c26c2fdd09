// mlstm-step-cell: step t of the multiplicative LSTM, second half (kernel B),
// fused: the four gate pre-activations z = xproj_g[t] + b + W_m m, then
// i, f, o = sigmoid, u = tanh, c = f c_{t-1} + i u, h = o tanh(c).
// One invocation per (text n, unit j) computes all four gates of unit j.
// Masked texts (t >= length[n]) copy their previous state. Activated gates go
// to slot `slot` of `gates` for backward. Reference: mlstmReference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  texts: u32,   // N
  hidden: u32,  // H
  steps: u32,   // T
  t: u32,       // the step computed now
  slot: u32,    // step index into the saved buffers
  slots: u32,   // steps held by the saved buffers (T or 1)
}

@group(0) @binding(0) var<storage, read> xproj: array<f32>;    // [N, T, 5H]: m | i f o u
@group(0) @binding(1) var<storage, read> init: array<f32>;     // [N, 2H]
@group(0) @binding(2) var<storage, read> lengths: array<u32>;  // [N]
@group(0) @binding(3) var<storage, read> wm: array<f32>;       // [4H, H]
@group(0) @binding(4) var<storage, read> bias: array<f32>;     // [4H]
@group(0) @binding(5) var<storage, read> m: array<f32>;        // [N, slots, H]
@group(0) @binding(6) var<storage, read_write> states: array<f32>;  // [N, T, 2H]: h | c
@group(0) @binding(7) var<storage, read_write> gates: array<f32>;   // [N, slots, 4H]
@group(0) @binding(8) var<uniform> params: Params;


// (h, c)_{t-1}[n, j]: the initial state at t = 0
fn prev_state(n: u32, j: u32) -> vec2f {
  let p = params;
  let h2 = 2u * p.hidden;
  if (p.t == 0u) { return vec2f(init[n * h2 + j], init[n * h2 + p.hidden + j]); }
  let at = (n * p.steps + p.t - 1u) * h2 + j;
  return vec2f(states[at], states[at + p.hidden]);
}

// row q*H + j of W_m times m, plus the x projection and the bias
fn preact(q: u32, n: u32, j: u32) -> f32 {
  let p = params;
  let unit = q * p.hidden + j;
  let row = unit * p.hidden;
  let m0 = (n * p.slots + p.slot) * p.hidden;
  var acc = xproj[(n * p.steps + p.t) * 5u * p.hidden + p.hidden + unit] + bias[unit];
  for (var k = 0u; k < p.hidden; k++) {
    acc += wm[row + k] * m[m0 + k];
  }
  return acc;
}

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let idx = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (idx >= p.texts * p.hidden) { return; }
  let n = idx / p.hidden;
  let j = idx % p.hidden;
  let prev = prev_state(n, j);
  let out = (n * p.steps + p.t) * 2u * p.hidden + j;
  let g = (n * p.slots + p.slot) * 4u * p.hidden + j;
  if (p.t >= lengths[n]) {
    states[out] = prev.x;
    states[out + p.hidden] = prev.y;
    for (var q = 0u; q < 4u; q++) { gates[g + q * p.hidden] = 0.0; }
    return;
  }
  let i = safe_sigmoid(preact(0u, n, j));
  let f = safe_sigmoid(preact(1u, n, j));
  let o = safe_sigmoid(preact(2u, n, j));
  let u = safe_tanh(preact(3u, n, j));
  let c = f * prev.y + i * u;
  states[out] = o * safe_tanh(c);
  states[out + p.hidden] = c;
  gates[g] = i;
  gates[g + p.hidden] = f;
  gates[g + 2u * p.hidden] = o;
  gates[g + 3u * p.hidden] = u;
}
