// cross-entropy, per row: loss[n] = logsumexp(logits[n, :]) - logits[n, t[n]]
// for logits [rows, classes] and class indices t (validated on the CPU).
// One invocation per row; the max is subtracted before exp (stable for large
// logits). The mean over rows is a separate reduction.
// Reference: crossEntropyReference in src/engine/ops/crossEntropy.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  rows: u32,     // N
  classes: u32,  // C (>= 1)
}

@group(0) @binding(0) var<storage, read> logits: array<f32>;   // [rows, classes]
@group(0) @binding(1) var<storage, read> targets: array<i32>;  // [rows]
@group(0) @binding(2) var<storage, read_write> loss: array<f32>;  // [rows]
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (n >= params.rows) { return; }
  let base = n * params.classes;
  var m = logits[base];
  for (var c = 1u; c < params.classes; c++) { m = max(m, logits[base + c]); }
  var s = 0.0;
  for (var c = 0u; c < params.classes; c++) { s += exp(logits[base + c] - m); }
  loss[n] = m + log(s) - logits[base + u32(targets[n])];
}
