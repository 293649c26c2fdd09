// axpy: y[i] += alpha * x[i], in place. Used for gradient accumulation and SGD.
// Reference: cpu loop in src/engine/ops/axpy.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  n: u32,      // element count
  alpha: f32,  // scale of x
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.n) { return; }
  y[i] += params.alpha * x[i];
}
