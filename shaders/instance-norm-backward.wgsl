// instance norm backward, input gradient (per element):
// dx = rstd * w[c] * (g - sum_g / S - xhat * sum_gx / S), with the row sums
// from instance-norm-backward-rows.wgsl. Reference:
// instanceNormBackwardReference in src/engine/ops/instanceNorm.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  total: u32,     // N * C * S
  spatial: u32,   // S
  channels: u32,  // C
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<vec2f>;  // [N * C] (mean, rstd)
@group(0) @binding(3) var<storage, read> sums: array<vec2f>;   // [N * C] (sum_g, sum_gx)
@group(0) @binding(4) var<storage, read> weight: array<f32>;   // [C]
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let e = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (e >= p.total) { return; }
  let r = e / p.spatial;
  let st = stats[r];
  let sm = sums[r] / f32(p.spatial);
  let xhat = (x[e] - st.x) * st.y;
  dx[e] = st.y * weight[r % p.channels] * (grad[e] - sm.x - xhat * sm.y);
}
