// Adam update, in place, PyTorch torch.optim.Adam semantics (L2 weight decay
// added to the gradient, not AdamW; no amsgrad):
// g = grad + weight_decay * p; m = beta1 m + (1 - beta1) g;
// v = beta2 v + (1 - beta2) g^2; p -= step_size * m / (sqrt(v) / bc2_sqrt + eps)
// with step_size = lr / (1 - beta1^t), bc2_sqrt = sqrt(1 - beta2^t) computed
// on the CPU in float64. Reference: adamReference in src/engine/optim/adam.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  n: u32,              // element count of the parameter
  step_size: f32,      // lr / (1 - beta1^t)
  bc2_sqrt: f32,       // sqrt(1 - beta2^t)
  beta1: f32,
  beta2: f32,
  eps: f32,            // added to the denominator
  weight_decay: f32,   // L2 penalty added to the gradient
}

@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;  // first moment
@group(0) @binding(3) var<storage, read_write> v: array<f32>;  // second moment
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.n) { return; }
  let g = grad[i] + p.weight_decay * param[i];
  let m1 = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let v1 = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = m1;
  v[i] = v1;
  param[i] -= p.step_size * m1 / (sqrt(v1) / p.bc2_sqrt + p.eps);
}
