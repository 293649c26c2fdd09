// log-clamp: out = ln(max(x, clamp)) for one chunk of mel frames, written into
// columns frame_offset .. frame_offset + chunk_frames - 1 of the full
// [bands, total_frames] log-mel. x is the chunk, [bands, chunk_frames].
// Reference: logMelReference in src/models/mel/melReference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  bands: u32,         // rows of x and out
  chunk_frames: u32,  // columns of x
  total_frames: u32,  // columns of out
  frame_offset: u32,  // column of out that x's column 0 lands in
  clamp: f32,         // floor applied before the log (1e-5)
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.bands * p.chunk_frames) { return; }
  let b = i / p.chunk_frames;
  let f = i % p.chunk_frames;
  out[b * p.total_frames + p.frame_offset + f] = log(max(x[i], p.clamp));
}
