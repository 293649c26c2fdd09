// unary backward: dx[i] = g[i] * f'(x[i]) for the functions of unary.wgsl
// (same op codes). Derivatives are recomputed from x, so the forward output
// need not outlive the forward pass. At kinks it follows PyTorch:
// relu'(0) = 0, leakyRelu'(0) = slope, abs'(0) = 0.
// Reference: unaryGradReference in src/engine/ops/unary.test.ts (float64).

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
  op: u32,     // which function (OP_* of unary.wgsl)
  alpha: f32,  // leakyRelu slope, scale factor or shift amount
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// d f(v) / dv
fn derivative(v: f32, op: u32, alpha: f32) -> f32 {
  switch op {
    case OP_TANH: {
      // 1 - tanh^2 = 4e / (1 + e)^2 with e = exp(-2|v|): no cancellation near 1
      let e = exp(-2.0 * abs(v));
      return 4.0 * e / ((1.0 + e) * (1.0 + e));
    }
    case OP_SIGMOID: {
      // s (1 - s) = e / (1 + e)^2 with e = exp(-|v|), exact in the tails too
      let e = exp(-abs(v));
      return e / ((1.0 + e) * (1.0 + e));
    }
    case OP_RELU: { return select(0.0, 1.0, v > 0.0); }
    case OP_LEAKY_RELU: { return select(alpha, 1.0, v > 0.0); }
    case OP_EXP: { return exp(v); }
    case OP_LOG: { return 1.0 / v; }
    case OP_NEG: { return -1.0; }
    case OP_ABS: { return sign(v); }
    case OP_SQRT: { return 0.5 / sqrt(v); }
    case OP_SQUARE: { return 2.0 * v; }
    case OP_SCALE: { return alpha; }
    case OP_SHIFT: { return 1.0; }
    default: { return 0.0; }
  }
}

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.n) { return; }
  dx[i] = g[i] * derivative(x[i], params.op, params.alpha);
}
