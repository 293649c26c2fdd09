// binary: out = a op b with NumPy broadcasting. The caller right-aligns the
// shapes, merges axes that need no separate index (so same-shape operands
// run as one axis) and passes per-operand strides, 0 along broadcast axes.
// At most 6 axes after merging. Op codes mirror BINARY_OPS of binary.ts.
// Reference: binaryReference in src/engine/ops/binary.test.ts (float64).

override WorkgroupSize: u32 = 64;

const OP_ADD = 0u;
const OP_SUB = 1u;
const OP_MUL = 2u;
const OP_DIV = 3u;

struct Params {
  n: u32,     // output element count
  op: u32,    // OP_* above
  rank: u32,  // axes in use (1..6), stored last-axis-first below
  _pad: u32,
  shape: array<vec4u, 2>,     // output dims, [k] = axis rank-1-k (innermost first)
  a_stride: array<vec4u, 2>,  // element stride of a per axis, same order (0 = broadcast)
  b_stride: array<vec4u, 2>,  // element stride of b per axis
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.n) { return; }
  var rem = i;
  var ia = 0u;
  var ib = 0u;
  for (var k = 0u; k < params.rank; k++) {
    let dim = params.shape[k / 4u][k % 4u];
    let c = rem % dim;
    rem /= dim;
    ia += c * params.a_stride[k / 4u][k % 4u];
    ib += c * params.b_stride[k / 4u][k % 4u];
  }
  let va = a[ia];
  let vb = b[ib];
  switch params.op {
    case OP_SUB: { out[i] = va - vb; }
    case OP_MUL: { out[i] = va * vb; }
    case OP_DIV: { out[i] = va / vb; }
    default: { out[i] = va + vb; }
  }
}
