// reduce backward: dx[o, j, i] from the output gradient g[o, i] of a
// reduction over axis j of x viewed as [outer, len, inner]. One invocation
// per element of x.
//   sum:       dx = scale * g                  (scale = 1 / len for a mean)
//   max:       dx = g where j == aux[o, i], else 0 (aux: argmax as f32)
//   logsumexp: dx = g * exp(x - aux[o, i])     (aux: the logsumexp)
// Reference: reduceGradReference in src/engine/ops/reduce.test.ts.

override WorkgroupSize: u32 = 64;

const OP_SUM = 0u;
const OP_MAX = 1u;
const OP_LOGSUMEXP = 2u;

struct Params {
  outer: u32,  // product of the axes before the reduced one
  len: u32,    // length of the reduced axis
  inner: u32,  // product of the axes after it
  op: u32,     // OP_* above
  scale: f32,  // multiplies the gradient
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;    // [outer, inner]
@group(0) @binding(2) var<storage, read> aux: array<f32>;  // [outer, inner]
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let e = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (e >= p.outer * p.len * p.inner) { return; }
  let i = e % p.inner;
  let j = (e / p.inner) % p.len;
  let oi = (e / (p.inner * p.len)) * p.inner + i;
  let grad = g[oi] * p.scale;
  switch p.op {
    case OP_MAX: { dx[e] = select(0.0, grad, f32(j) == aux[oi]); }
    case OP_LOGSUMEXP: { dx[e] = grad * exp(x[e] - aux[oi]); }
    default: { dx[e] = grad; }
  }
}
