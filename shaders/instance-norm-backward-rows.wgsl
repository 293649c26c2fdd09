// instance norm backward, row sums: for each row r of x [N * C, S] with output
// gradient g, sums[r] = (sum_s g, sum_s g * xhat) where xhat = (x - mean) *
// rstd. Feeds instance-norm-backward.wgsl and the weight/bias gradients.
// One invocation per row. Reference: instanceNormBackwardReference in
// src/engine/ops/instanceNorm.test.ts.
// TODO: a row is summed serially, which suits software adapters; hardware GPUs
// with large images (S in the tens of thousands) want a workgroup reduction.

override WorkgroupSize: u32 = 64;

struct Params {
  rows: u32,     // N * C
  spatial: u32,  // S
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<vec2f>;       // [rows] (mean, rstd)
@group(0) @binding(3) var<storage, read_write> sums: array<vec2f>;  // [rows]
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let r = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (r >= p.rows) { return; }
  let st = stats[r];
  let base = r * p.spatial;
  var sum_g = 0.0;
  var sum_gx = 0.0;
  for (var s = 0u; s < p.spatial; s++) {
    let g = grad[base + s];
    sum_g += g;
    sum_gx += g * (x[base + s] - st.x) * st.y;
  }
  sums[r] = vec2f(sum_g, sum_gx);
}
