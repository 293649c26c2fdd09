// resize backward: the input gradient of resize.wgsl, written as a gather
// (WGSL has no float atomics): each input element sums the output gradients
// that read it. Taps are monotone in the output index, so the outputs that
// touch input row iy form a range [ry.x, ry.y) computed on the CPU (same for
// columns). dx[iy, ix] = sum_{oy, ox} wy(oy -> iy) * wx(ox -> ix) * g[oy, ox].
// Reference: resizeBackwardReference in src/engine/ops/resize.test.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  total: u32,  // N * C * in_h * in_w
  in_h: u32,
  in_w: u32,
  out_h: u32,
  out_w: u32,
}

// taps: as in resize.wgsl; ranges: in_h rows then in_w columns, [begin, end)
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> taps: array<vec4u>;
@group(0) @binding(2) var<storage, read> ranges: array<vec2u>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// weight with which tap t reads input index i (both taps may hit i at an edge)
fn weight_of(t: vec4u, i: u32) -> f32 {
  let w = bitcast<vec2f>(t.zw);
  return select(0.0, w.x, t.x == i) + select(0.0, w.y, t.y == i);
}

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let e = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (e >= p.total) { return; }
  let ix = e % p.in_w;
  let iy = (e / p.in_w) % p.in_h;
  let plane = e / (p.in_w * p.in_h);
  let ry = ranges[iy];
  let rx = ranges[p.in_h + ix];
  let base = plane * p.out_h * p.out_w;
  var acc = 0.0;
  for (var oy = ry.x; oy < ry.y; oy++) {
    let wy = weight_of(taps[oy], iy);
    var row = 0.0;
    for (var ox = rx.x; ox < rx.y; ox++) {
      row += weight_of(taps[p.out_h + ox], ix) * grad[base + oy * p.out_w + ox];
    }
    acc += wy * row;
  }
  dx[e] = acc;
}
