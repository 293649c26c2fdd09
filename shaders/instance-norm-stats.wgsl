// instance norm statistics: per row r of x [rows = N * C, S] the mean and
// 1 / sqrt(biased variance + eps), two passes over the row for accuracy.
// One invocation per row. Reference: instanceNormReference in
// src/engine/ops/instanceNorm.test.ts (PyTorch F.instance_norm).
// TODO: a row is summed serially, which suits software adapters; hardware GPUs
// with large images (S in the tens of thousands) want a workgroup reduction.

override WorkgroupSize: u32 = 64;

struct Params {
  rows: u32,     // N * C
  spatial: u32,  // S, elements per row
  eps: f32,      // added to the variance
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> stats: array<vec2f>;  // [rows] (mean, rstd)
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let r = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (r >= p.rows) { return; }
  let base = r * p.spatial;
  var sum = 0.0;
  for (var s = 0u; s < p.spatial; s++) { sum += x[base + s]; }
  let mean = sum / f32(p.spatial);
  var sq = 0.0;
  for (var s = 0u; s < p.spatial; s++) {
    let d = x[base + s] - mean;
    sq += d * d;
  }
  stats[r] = vec2f(mean, inverseSqrt(sq / f32(p.spatial) + p.eps));
}
