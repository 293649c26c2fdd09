// conv1d-flip-weights: rewrites conv1d weights [Cout, Cin/groups, K] as the
// weights of the transposed conv [Cin, Cout/groups, K], taps reversed:
//   wf[g*cin_g + ci, j, k] = w[g*cout_g + j, ci, K-1-k]
// so that a stride-1 transposed conv (conv1d's input gradient) runs as a plain
// conv1d with padding dil*(K-1) - pad, on the register-tiled kernel.
// Reference: convTransposeReference in src/engine/ops/conv-reference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  c_in: u32,    // input channels of the conv (all groups)
  c_out: u32,   // output channels of the conv (all groups)
  k: u32,       // kernel taps
  groups: u32,
}

@group(0) @binding(0) var<storage, read> w: array<f32>;
@group(0) @binding(1) var<storage, read_write> wf: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let cin_g = p.c_in / p.groups;
  let cout_g = p.c_out / p.groups;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.c_out * cin_g * p.k) { return; }
  // i indexes wf [c_in, cout_g, k]
  let kk = i % p.k;
  let j = (i / p.k) % cout_g;
  let ci = i / (p.k * cout_g);
  let g = ci / cin_g;
  wf[i] = w[((g * cout_g + j) * cin_g + ci % cin_g) * p.k + (p.k - 1u - kk)];
}
