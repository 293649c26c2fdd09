// reduce: out[o, p, i] = op over j in part p of x[o, j, i], with x viewed as
// [outer, len, inner] around the reduced axis. The axis is cut into `parts`
// runs of `chunk` elements, so a long axis with few outputs can be reduced
// in two passes (sum of sums, max of maxes, logsumexp of logsumexps).
// One invocation per output; loops, no barriers (fast on SwiftShader).
// OP_ARGMAX writes the first index of the maximum as f32 (exact below 2^24)
// and needs parts = 1. Reference: reduceReference in reduce.test.ts.

override WorkgroupSize: u32 = 64;

const OP_SUM = 0u;
const OP_MAX = 1u;
const OP_LOGSUMEXP = 2u;
const OP_ARGMAX = 3u;

struct Params {
  outer: u32,  // product of the axes before the reduced one
  len: u32,    // length of the reduced axis (>= 1)
  inner: u32,  // product of the axes after it
  parts: u32,  // runs the axis is cut into (output is [outer, parts, inner])
  chunk: u32,  // elements per run: ceil(len / parts)
  op: u32,     // OP_* above
  scale: f32,  // multiplies the result (1 / len turns a sum into a mean)
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let idx = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (idx >= p.outer * p.parts * p.inner) { return; }
  let i = idx % p.inner;
  let part = (idx / p.inner) % p.parts;
  let o = idx / (p.inner * p.parts);
  let start = part * p.chunk;
  let end = min(p.len, start + p.chunk);
  let base = o * p.len * p.inner + i;

  if (p.op == OP_SUM) {
    var acc = 0.0;
    for (var j = start; j < end; j++) { acc += x[base + j * p.inner]; }
    out[idx] = acc * p.scale;
    return;
  }

  // max and argmax; strict > keeps the first of tied maxima
  var m = x[base + start * p.inner];
  var arg = start;
  for (var j = start + 1u; j < end; j++) {
    let v = x[base + j * p.inner];
    if (v > m) {
      m = v;
      arg = j;
    }
  }
  if (p.op == OP_MAX) {
    out[idx] = m * p.scale;
  } else if (p.op == OP_ARGMAX) {
    out[idx] = f32(arg);
  } else if (abs(m) > 3.0e38) {
    // an infinite max is the logsumexp (an all -inf run gives -inf, not NaN)
    out[idx] = m * p.scale;
  } else {
    // logsumexp = m + log(sum exp(x - m)): exp never overflows
    var s = 0.0;
    for (var j = start; j < end; j++) { s += exp(x[base + j * p.inner] - m); }
    out[idx] = (m + log(s)) * p.scale;
  }
}
