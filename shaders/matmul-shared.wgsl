// matmul, shared-memory tiles: each workgroup of Tile x Tile invocations loads
// Tile x Tile blocks of A and B into workgroup memory and each invocation
// accumulates one element of C. The usual choice on hardware GPUs, where
// barriers are cheap and memory bandwidth is the limit. Same Params and
// strides as matmul.wgsl. Reference: matmulReference in matmul.test.ts.

const Tile: u32 = 16u;

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

var<workgroup> tile_a: array<array<f32, 16>, 16>;  // [row][k]
var<workgroup> tile_b: array<array<f32, 16>, 16>;  // [k][col]

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = params;
  let row = gid.y;
  let col = gid.x;
  let a_base = gid.z * p.a_batch;
  let b_base = gid.z * p.b_batch;
  var acc = 0.0;
  let tiles = (p.k + Tile - 1u) / Tile;
  for (var t = 0u; t < tiles; t++) {
    let ka = t * Tile + lid.x;
    let kb = t * Tile + lid.y;
    var va = 0.0;
    if (row < p.m && ka < p.k) { va = a[a_base + row * p.a_row + ka * p.a_k]; }
    var vb = 0.0;
    if (col < p.n && kb < p.k) { vb = b[b_base + kb * p.b_k + col * p.b_col]; }
    tile_a[lid.y][lid.x] = va;
    tile_b[lid.y][lid.x] = vb;
    workgroupBarrier();
    for (var kk = 0u; kk < Tile; kk++) {
      acc += tile_a[lid.y][kk] * tile_b[kk][lid.x];
    }
    workgroupBarrier();
  }
  if (row < p.m && col < p.n) {
    c[gid.z * p.m * p.n + row * p.n + col] = acc;
  }
}
