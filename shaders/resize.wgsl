// resize: separable 2-D interpolation of x [N*C, in_h, in_w] to
// [N*C, out_h, out_w]. Per output row and column the CPU computes two taps
// (index, weight) the way PyTorch's F.interpolate does: nearest uses one tap
// (weight 1, 0), bilinear two; 1-D resizes use an identity row table.
// out = sum_{a,b} wy_a * wx_b * x[iy_a, ix_b]. One invocation per output.
// Reference: resizeReference in src/engine/ops/resize.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  total: u32,  // N * C * out_h * out_w
  in_h: u32,
  in_w: u32,
  out_h: u32,
  out_w: u32,
}

// taps: out_h rows then out_w columns, each (i0, i1, bitcast w0, bitcast w1)
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> taps: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let e = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (e >= p.total) { return; }
  let ox = e % p.out_w;
  let oy = (e / p.out_w) % p.out_h;
  let plane = e / (p.out_w * p.out_h);
  let ty = taps[oy];
  let tx = taps[p.out_h + ox];
  let wy = bitcast<vec2f>(ty.zw);
  let wx = bitcast<vec2f>(tx.zw);
  let base = plane * p.in_h * p.in_w;
  let r0 = base + ty.x * p.in_w;
  let r1 = base + ty.y * p.in_w;
  let top = wx.x * x[r0 + tx.x] + wx.y * x[r0 + tx.y];
  let bottom = wx.x * x[r1 + tx.x] + wx.y * x[r1 + tx.y];
  out[e] = wy.x * top + wy.y * bottom;
}
