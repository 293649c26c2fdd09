// conv1d-weight-grad, register-tiled: gradient of conv1d's weights. Each
// invocation owns 4 output channels x 4 input channels of one tap k, in four
// vec4 accumulators (per output channel, lanes = input channels), and reduces
//   dw[co, ci, k] = sum_{n, t} dy[n, co, t] * x[n, g*cin_g + ci, t*stride - pad + k*dil]
// over the range of t whose tap lands inside x (solved up front: no bounds
// checks in the loop). Fully unrolled, no arrays, no barriers, as conv1d-tiled.
// Tiles never cross a group; edge channels are clamped and not stored.
// Grid: x = ceil(cin_g / 4) input-channel tiles, y = groups * ceil(cout_g / 4)
// output-channel tiles, z = k. Reference: convWeightGradReference in
// src/engine/ops/conv-reference.ts.

override WorkgroupX: u32 = 8;
override WorkgroupY: u32 = 8;

struct Params {
  batch: u32,     // N
  c_in: u32,      // channels of x (all groups)
  in_len: u32,    // length of x
  c_out: u32,     // channels of dy (all groups)
  out_len: u32,   // length of dy
  k: u32,         // kernel taps
  stride: u32,
  pad: u32,       // zero padding on each side of x
  dil: u32,       // dilation between taps
  groups: u32,
  has_bias: u32,  // unused here; keeps the layout of conv1d's Params
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupX, WorkgroupY)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let p = params;
  let cin_g = p.c_in / p.groups;
  let cout_g = p.c_out / p.groups;
  let co_tiles = (cout_g + 3u) / 4u;
  let g = gid.y / co_tiles;
  let cl0 = gid.x * 4u;
  if (g >= p.groups || cl0 >= cin_g) { return; }
  let j0 = (gid.y % co_tiles) * 4u;
  let kk = gid.z;

  let last_o = cout_g - 1u;
  let co0 = g * cout_g + j0;
  let co1 = g * cout_g + min(j0 + 1u, last_o);
  let co2 = g * cout_g + min(j0 + 2u, last_o);
  let co3 = g * cout_g + min(j0 + 3u, last_o);
  let last_i = cin_g - 1u;
  let ci0 = g * cin_g + cl0;
  let ci1 = g * cin_g + min(cl0 + 1u, last_i);
  let ci2 = g * cin_g + min(cl0 + 2u, last_i);
  let ci3 = g * cin_g + min(cl0 + 3u, last_i);

  // [first, end) of t with 0 <= t*stride - pad + kk*dil < in_len
  let s = i32(p.stride);
  let lo = i32(p.pad) - i32(kk * p.dil);
  let hi = i32(p.in_len) + lo;
  var first = 0;
  if (lo > 0) { first = (lo + s - 1) / s; }
  var end = 0;
  if (hi > 0) { end = min((hi + s - 1) / s, i32(p.out_len)); }

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  if (end > first) {
    let x_first = u32(first * s - lo);
    for (var n = 0u; n < p.batch; n++) {
      let d0 = (n * p.c_out + co0) * p.out_len;
      let d1 = (n * p.c_out + co1) * p.out_len;
      let d2 = (n * p.c_out + co2) * p.out_len;
      let d3 = (n * p.c_out + co3) * p.out_len;
      let x0 = (n * p.c_in + ci0) * p.in_len + x_first;
      let x1 = (n * p.c_in + ci1) * p.in_len + x_first;
      let x2 = (n * p.c_in + ci2) * p.in_len + x_first;
      let x3 = (n * p.c_in + ci3) * p.in_len + x_first;
      var xi = 0u;
      for (var t = u32(first); t < u32(end); t++) {
        let xv = vec4f(x[x0 + xi], x[x1 + xi], x[x2 + xi], x[x3 + xi]);
        acc0 += dy[d0 + t] * xv;
        acc1 += dy[d1 + t] * xv;
        acc2 += dy[d2 + t] * xv;
        acc3 += dy[d3 + t] * xv;
        xi += p.stride;
      }
    }
  }

  let rows = cout_g - j0;
  let lanes = cin_g - cl0;
  store_lanes((co0 * cin_g + cl0) * p.k + kk, acc0, lanes);
  if (rows > 1u) { store_lanes((co1 * cin_g + cl0) * p.k + kk, acc1, lanes); }
  if (rows > 2u) { store_lanes((co2 * cin_g + cl0) * p.k + kk, acc2, lanes); }
  if (rows > 3u) { store_lanes((co3 * cin_g + cl0) * p.k + kk, acc3, lanes); }
}

// writes the first min(4, lanes) lanes of v to consecutive input channels (k apart)
fn store_lanes(at: u32, v: vec4f, lanes: u32) {
  let k = params.k;
  dw[at] = v.x;
  if (lanes > 1u) { dw[at + k] = v.y; }
  if (lanes > 2u) { dw[at + 2u * k] = v.z; }
  if (lanes > 3u) { dw[at + 3u * k] = v.w; }
}
