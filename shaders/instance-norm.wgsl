// instance norm apply: y = (x - mean[r]) * rstd[r] * weight[c] + bias[c] for
// x [N, C, S], row r = n * C + c, statistics from instance-norm-stats.wgsl.
// Without affine parameters the caller binds ones and zeros. One invocation
// per element. Reference: instanceNormReference in instanceNorm.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  total: u32,     // N * C * S
  spatial: u32,   // S
  channels: u32,  // C
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> stats: array<vec2f>;  // [N * C] (mean, rstd)
@group(0) @binding(2) var<storage, read> weight: array<f32>;   // [C]
@group(0) @binding(3) var<storage, read> bias: array<f32>;     // [C]
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let e = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (e >= p.total) { return; }
  let r = e / p.spatial;
  let c = r % p.channels;
  let st = stats[r];
  y[e] = (x[e] - st.x) * st.y * weight[c] + bias[c];
}
