// unary: y[i] = f(x[i]) for one pointwise function picked by params.op. The
// codes are mirrored in UNARY_OPS of src/engine/ops/unary.ts. tanh and
// sigmoid use forms that cannot overflow, so any finite x gives a finite y.
// Reference: unaryReference in src/engine/ops/unary.test.ts (float64).

override WorkgroupSize: u32 = 64;

const OP_TANH = 0u;
const OP_SIGMOID = 1u;
const OP_RELU = 2u;
const OP_LEAKY_RELU = 3u;
const OP_EXP = 4u;
const OP_LOG = 5u;
const OP_NEG = 6u;
const OP_ABS = 7u;
const OP_SQRT = 8u;
const OP_SQUARE = 9u;
const OP_SCALE = 10u;
const OP_SHIFT = 11u;

struct Params {
  n: u32,      // element count
  op: u32,     // which function (OP_* above)
  alpha: f32,  // leakyRelu slope, scale factor or shift amount
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

fn apply(v: f32, op: u32, alpha: f32) -> f32 {
  switch op {
    case OP_TANH: { return safe_tanh(v); }
    case OP_SIGMOID: { return safe_sigmoid(v); }
    case OP_RELU: { return max(v, 0.0); }
    case OP_LEAKY_RELU: { return select(alpha * v, v, v > 0.0); }
    case OP_EXP: { return exp(v); }
    case OP_LOG: { return log(v); }
    case OP_NEG: { return -v; }
    case OP_ABS: { return abs(v); }
    case OP_SQRT: { return sqrt(v); }
    case OP_SQUARE: { return v * v; }
    case OP_SCALE: { return alpha * v; }
    case OP_SHIFT: { return v + alpha; }
    default: { return v; }
  }
}

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.n) { return; }
  y[i] = apply(x[i], params.op, params.alpha);
}
