// cross-entropy backward for the mean over rows:
// dlogits[n, c] = g * scale * (softmax(logits[n, :])[c] - (c == t[n]))
// with g the scalar output gradient and scale = 1 / rows. One invocation per
// row; the softmax is recomputed from the logits.
// Reference: crossEntropyGradReference in src/engine/ops/crossEntropy.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  rows: u32,     // N
  classes: u32,  // C (>= 1)
  scale: f32,    // 1 / N for the mean
}

@group(0) @binding(0) var<storage, read> logits: array<f32>;   // [rows, classes]
@group(0) @binding(1) var<storage, read> targets: array<i32>;  // [rows]
@group(0) @binding(2) var<storage, read> g: array<f32>;        // [1]
@group(0) @binding(3) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (n >= params.rows) { return; }
  let base = n * params.classes;
  var m = logits[base];
  for (var c = 1u; c < params.classes; c++) { m = max(m, logits[base + c]); }
  var s = 0.0;
  for (var c = 0u; c < params.classes; c++) { s += exp(logits[base + c] - m); }
  let k = g[0] * params.scale / s;
  let t = u32(targets[n]);
  for (var c = 0u; c < params.classes; c++) {
    let hit = select(0.0, g[0] * params.scale, c == t);
    dlogits[base + c] = k * exp(logits[base + c] - m) - hit;
  }
}
