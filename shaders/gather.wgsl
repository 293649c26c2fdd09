// gather (embedding lookup): out[r, d] = table[indices[r], d] for a [V, D]
// table and n indices (range-checked on the CPU). One invocation per output
// element. Reference: gatherReference in src/engine/ops/gather.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  total: u32,  // n * D (output elements)
  dim: u32,    // D, the row length
}

@group(0) @binding(0) var<storage, read> table: array<f32>;
@group(0) @binding(1) var<storage, read> indices: array<u32>;  // [n]
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (e >= params.total) { return; }
  let r = e / params.dim;
  let d = e % params.dim;
  out[e] = table[indices[r] * params.dim + d];
}
