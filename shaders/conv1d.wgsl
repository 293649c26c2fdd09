// conv1d, naive (version 1): one output element per invocation, PyTorch Conv1d
// semantics on [N, Cin, L] with weights [Cout, Cin/groups, K]:
//   y[n, co, t] = bias[co] + sum_{ci, k} x[n, g*cin_g + ci, t*stride - pad + k*dil] * w[co, ci, k]
// where g = co / cout_g and out-of-range taps read zero padding. Kept as the
// baseline that conv1d-tiled.wgsl is checked against. Reference: convReference
// in src/engine/ops/conv-reference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  batch: u32,     // N
  c_in: u32,      // input channels (all groups)
  in_len: u32,    // L
  c_out: u32,     // output channels (all groups)
  out_len: u32,   // Lout
  k: u32,         // kernel taps
  stride: u32,
  pad: u32,       // zero padding on each side
  dil: u32,       // dilation between taps
  groups: u32,
  has_bias: u32,  // 0: the bias binding aliases w and is ignored
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.batch * p.c_out * p.out_len) { return; }
  let t = i % p.out_len;
  let co = (i / p.out_len) % p.c_out;
  let n = i / (p.out_len * p.c_out);
  let cin_g = p.c_in / p.groups;
  let g = co / (p.c_out / p.groups);

  var acc = 0.0;
  if (p.has_bias != 0u) { acc = bias[co]; }
  let start = i32(t * p.stride) - i32(p.pad);
  for (var ci = 0u; ci < cin_g; ci++) {
    let xb = (n * p.c_in + g * cin_g + ci) * p.in_len;
    let wb = (co * cin_g + ci) * p.k;
    for (var kk = 0u; kk < p.k; kk++) {
      let pos = start + i32(kk * p.dil);
      if (pos >= 0 && pos < i32(p.in_len)) {
        acc += x[xb + u32(pos)] * w[wb + kk];
      }
    }
  }
  y[i] = acc;
}
