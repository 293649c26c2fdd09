// slice copy: moves a block along one axis between two tensors viewed as
// [outer, dim, inner]: dst[o, dst_off + j, i] = src[o, src_off + j, i] for
// j < len. Serves slice (and its zero-padded backward) and concat (and its
// backward). One invocation per copied element. Reference: sliceReference in
// src/engine/ops/slice.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  total: u32,    // outer * len * inner (copied elements)
  len: u32,      // length of the block along the axis
  inner: u32,    // product of the axes after the axis
  src_dim: u32,  // axis length of src
  src_off: u32,  // first axis index read from src
  dst_dim: u32,  // axis length of dst
  dst_off: u32,  // first axis index written in dst
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let e = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (e >= p.total) { return; }
  let i = e % p.inner;
  let j = (e / p.inner) % p.len;
  let o = e / (p.inner * p.len);
  let read_at = (o * p.src_dim + p.src_off + j) * p.inner + i;
  dst[(o * p.dst_dim + p.dst_off + j) * p.inner + i] = src[read_at];
}
