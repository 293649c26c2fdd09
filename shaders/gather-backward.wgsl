// gather backward: deterministic scatter-add of the output gradient into the
// table gradient, written as a gather (WGSL has no float atomics). The CPU
// groups output positions by table row (CSR); one invocation per (used row,
// d) sums its positions in ascending order. Rows never looked up are cleared
// by the caller. Reference: gatherReference in src/engine/ops/gather.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  total: u32,  // used_rows * D
  dim: u32,    // D, the row length
  used: u32,   // number of distinct rows looked up (U)
}

// csr layout: [rows (U) | starts (U + 1) | positions (n)]: rows[u] is a table
// row, positions[starts[u]..starts[u + 1]] the output rows that read it
@group(0) @binding(0) var<storage, read> grad: array<f32>;  // [n, D]
@group(0) @binding(1) var<storage, read> csr: array<u32>;
@group(0) @binding(2) var<storage, read_write> table_grad: array<f32>;  // [V, D]
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let e = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (e >= p.total) { return; }
  let u = e / p.dim;
  let d = e % p.dim;
  let begin = csr[p.used + u];
  let end = csr[p.used + u + 1u];
  let positions = 2u * p.used + 1u;
  var acc = 0.0;
  for (var k = begin; k < end; k++) {
    acc += grad[csr[positions + k] * p.dim + d];
  }
  table_grad[csr[u] * p.dim + d] = acc;
}
