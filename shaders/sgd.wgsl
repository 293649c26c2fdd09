// SGD update, in place, PyTorch torch.optim.SGD semantics (dampening 0, no
// nesterov): g = grad + weight_decay * p; with momentum buf = momentum * buf
// + g (buf starts at zero, so the first step gives buf = g); p -= lr * buf.
// Entry `main` keeps a momentum buffer, `plain` has none (momentum 0).
// Reference: sgdReference in src/engine/optim/sgd.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  n: u32,              // element count of the parameter
  lr: f32,             // learning rate
  momentum: f32,       // momentum factor (main only)
  weight_decay: f32,   // L2 penalty added to the gradient
}

@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> buf: array<f32>;  // momentum buffer (main)
@group(0) @binding(3) var<uniform> params: Params;
// NOTE: `plain` binds no momentum buffer, so its uniform moves to binding 2
// (the engine binds the uniform last); WGSL allows the alias across entries.
@group(0) @binding(2) var<uniform> plain_params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.n) { return; }
  let g = grad[i] + p.weight_decay * param[i];
  let b = p.momentum * buf[i] + g;
  buf[i] = b;
  param[i] -= p.lr * b;
}

@compute @workgroup_size(WorkgroupSize)
fn plain(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = plain_params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.n) { return; }
  param[i] -= p.lr * (grad[i] + p.weight_decay * param[i]);
}
