// instance norm backward, affine parameter gradients: per channel c,
// dweight[c] = sum_n sum_gx[n, c] and dbias[c] = sum_n sum_g[n, c], from the
// row sums of instance-norm-backward-rows.wgsl. One invocation per channel.
// Reference: instanceNormBackwardReference in instanceNorm.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  batch: u32,     // N
  channels: u32,  // C
}

@group(0) @binding(0) var<storage, read> sums: array<vec2f>;  // [N * C] (sum_g, sum_gx)
@group(0) @binding(1) var<storage, read_write> dweight: array<f32>;  // [C]
@group(0) @binding(2) var<storage, read_write> dbias: array<f32>;    // [C]
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let c = gid.x;
  if (c >= params.channels) { return; }
  var acc = vec2f(0.0);
  for (var n = 0u; n < params.batch; n++) { acc += sums[n * params.channels + c]; }
  dweight[c] = acc.y;
  dbias[c] = acc.x;
}
