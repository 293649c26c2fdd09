// conv2d-weight-grad: gradient of conv2d.wgsl's weights, one weight element
// per invocation, reducing over batch and output positions:
//   dw[co, ci, ky, kx] = sum_{n, oy, ox} dy[n, co, oy, ox]
//                        * x[n, g*cin_g + ci, oy*stride_h - pad_h + ky*dil_h, (same for x)]
// The range of (oy, ox) whose tap lands inside x is solved up front, so the
// inner loop has no bounds checks. Serves conv2d, convTranspose2d (x and dy
// swapped), and conv1d at height 1 where its tiled kernel is not chosen.
// Limits: parallel over weights only, so tiny kernels with huge spatial
// extents underuse a big GPU.
// Reference: convWeightGradReference in src/engine/ops/conv-reference.ts.

override WorkgroupSize: u32 = 64;

// struct Params: shaders/lib/conv-params.wgsl (prepended by the wrapper)

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// [first, end) of output positions o with 0 <= o*stride - pad + tap < size
fn valid_range(tap: u32, stride: u32, pad: u32, size: u32, out_size: u32) -> vec2u {
  let lo = i32(pad) - i32(tap);  // o*stride >= lo
  let hi = i32(size) + i32(pad) - i32(tap);  // o*stride < hi
  var first = 0;
  if (lo > 0) { first = (lo + i32(stride) - 1) / i32(stride); }
  var end = 0;
  if (hi > 0) { end = min((hi + i32(stride) - 1) / i32(stride), i32(out_size)); }
  return vec2u(u32(first), u32(max(end, first)));
}

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let cin_g = p.c_in / p.groups;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.c_out * cin_g * p.k_h * p.k_w) { return; }
  let kx = i % p.k_w;
  let ky = (i / p.k_w) % p.k_h;
  let cl = (i / (p.k_w * p.k_h)) % cin_g;
  let co = i / (p.k_w * p.k_h * cin_g);
  let ci = (co / (p.c_out / p.groups)) * cin_g + cl;

  let ry = valid_range(ky * p.dil_h, p.stride_h, p.pad_h, p.in_h, p.out_h);
  let rx = valid_range(kx * p.dil_w, p.stride_w, p.pad_w, p.in_w, p.out_w);
  // x index at output (0, 0) relative to the tap; the ranges keep it >= 0 when used
  let y_off = i32(ky * p.dil_h) - i32(p.pad_h);
  let x_off = i32(kx * p.dil_w) - i32(p.pad_w);
  var acc = 0.0;
  for (var n = 0u; n < p.batch; n++) {
    let xc = (n * p.c_in + ci) * p.in_h * p.in_w;
    let dc = (n * p.c_out + co) * p.out_h * p.out_w;
    for (var oy = ry.x; oy < ry.y; oy++) {
      let xr = xc + u32(i32(oy * p.stride_h) + y_off) * p.in_w;
      let dr = dc + oy * p.out_w;
      var xi = u32(i32(rx.x * p.stride_w) + x_off);
      for (var ox = rx.x; ox < rx.y; ox++) {
        acc += dy[dr + ox] * x[xr + xi];
        xi += p.stride_w;
      }
    }
  }
  dw[i] = acc;
}
