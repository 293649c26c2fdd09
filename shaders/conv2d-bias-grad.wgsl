// conv2d-bias-grad: gradient of a per-channel bias, one channel per invocation:
//   db[c] = sum_{n, s} dy[n, c, s]   (s runs over all spatial positions)
// Shared by all conv and transposed-conv ops. Limits: parallel over channels
// only, fine for the small channel counts of this engine's models.
// Reference: the bias sum in src/engine/ops/conv-reference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  batch: u32,     // N
  channels: u32,  // C
  spatial: u32,   // product of the spatial axes
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> db: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let c = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (c >= p.channels) { return; }
  var acc = 0.0;
  for (var n = 0u; n < p.batch; n++) {
    let base = (n * p.channels + c) * p.spatial;
    for (var s = 0u; s < p.spatial; s++) {
      acc += dy[base + s];
    }
  }
  db[c] = acc;
}
