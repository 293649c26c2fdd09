// matmul, register-tiled: C[b] = opA(A[b]) @ opB(B[b]), each invocation owns a
// 4x8 block of C held in eight vec4 accumulators (fully unrolled: no arrays,
// no barriers), which is what runs fast on software adapters (SwiftShader;
// 4x8 beat 4x4 there as it did for conv1d-tiled.wgsl).
// Operands are addressed through strides, so transposes and a broadcast batch
// (stride 0) need no copies. Reference: matmulReference in matmul.test.ts.

override WorkgroupX: u32 = 8;
override WorkgroupY: u32 = 8;

struct Params {
  m: u32,        // rows of C
  n: u32,        // columns of C
  k: u32,        // reduction length
  a_batch: u32,  // element stride of A between batches (0 = broadcast)
  a_row: u32,    // stride of A along C's rows
  a_k: u32,      // stride of A along k
  b_batch: u32,
  b_k: u32,      // stride of B along k
  b_col: u32,    // stride of B along C's columns
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupX, WorkgroupY)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let p = params;
  let row0 = gid.y * 4u;
  let col0 = gid.x * 8u;
  if (row0 >= p.m || col0 >= p.n) { return; }

  // clamp edge rows/columns onto valid ones; their results are never stored
  let last_r = p.m - 1u;
  let last_c = p.n - 1u;
  let ra = gid.z * p.a_batch;
  let r0 = ra + row0 * p.a_row;
  let r1 = ra + min(row0 + 1u, last_r) * p.a_row;
  let r2 = ra + min(row0 + 2u, last_r) * p.a_row;
  let r3 = ra + min(row0 + 3u, last_r) * p.a_row;
  let cb = gid.z * p.b_batch;
  let c0 = cb + col0 * p.b_col;
  let c1 = cb + min(col0 + 1u, last_c) * p.b_col;
  let c2 = cb + min(col0 + 2u, last_c) * p.b_col;
  let c3 = cb + min(col0 + 3u, last_c) * p.b_col;
  let c4 = cb + min(col0 + 4u, last_c) * p.b_col;
  let c5 = cb + min(col0 + 5u, last_c) * p.b_col;
  let c6 = cb + min(col0 + 6u, last_c) * p.b_col;
  let c7 = cb + min(col0 + 7u, last_c) * p.b_col;

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  var hi0 = vec4f(0.0);
  var hi1 = vec4f(0.0);
  var hi2 = vec4f(0.0);
  var hi3 = vec4f(0.0);
  for (var kk = 0u; kk < p.k; kk++) {
    let ak = kk * p.a_k;
    let bk = kk * p.b_k;
    let bl = vec4f(b[c0 + bk], b[c1 + bk], b[c2 + bk], b[c3 + bk]);
    let bh = vec4f(b[c4 + bk], b[c5 + bk], b[c6 + bk], b[c7 + bk]);
    let v0 = a[r0 + ak];
    let v1 = a[r1 + ak];
    let v2 = a[r2 + ak];
    let v3 = a[r3 + ak];
    acc0 += v0 * bl;
    acc1 += v1 * bl;
    acc2 += v2 * bl;
    acc3 += v3 * bl;
    hi0 += v0 * bh;
    hi1 += v1 * bh;
    hi2 += v2 * bh;
    hi3 += v3 * bh;
  }

  let out = gid.z * p.m * p.n + row0 * p.n + col0;
  let cols = p.n - col0;
  store_row(out, acc0, hi0, cols);
  if (row0 + 1u < p.m) { store_row(out + p.n, acc1, hi1, cols); }
  if (row0 + 2u < p.m) { store_row(out + 2u * p.n, acc2, hi2, cols); }
  if (row0 + 3u < p.m) { store_row(out + 3u * p.n, acc3, hi3, cols); }
}

// writes the first min(8, cols) of (lo, hi) at c[at..]
fn store_row(at: u32, lo: vec4f, hi: vec4f, cols: u32) {
  store4(at, lo, cols);
  if (cols > 4u) { store4(at + 4u, hi, cols - 4u); }
}

// writes the first min(4, cols) lanes of v at c[at..]
fn store4(at: u32, v: vec4f, cols: u32) {
  c[at] = v.x;
  if (cols > 1u) { c[at + 1u] = v.y; }
  if (cols > 2u) { c[at + 2u] = v.z; }
  if (cols > 3u) { c[at + 3u] = v.w; }
}
