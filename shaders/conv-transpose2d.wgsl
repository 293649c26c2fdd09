// conv-transpose2d, direct: the adjoint of conv2d.wgsl. Given dy on the conv
// output [N, c_out, out_h, out_w] and conv weights [c_out, c_in/groups, KH, KW]
// it computes, one element per invocation,
//   dx[n, ci, iy, ix] = bias[ci] + sum of dy[n, co, oy, ox] * w[co, ci', ky, kx]
//     over (co, ky, kx) with iy = oy*stride_h - pad_h + ky*dil_h (and likewise ix)
// by solving oy = (iy + pad_h - ky*dil_h) / stride_h where that divides evenly.
// It is the input gradient of conv2d (and of conv1d where the tiled path does
// not apply) and the forward pass of ConvTranspose2d/1d: PyTorch's weights
// [Cin_T, Cout_T/groups, K] are exactly [c_out, c_in/groups, K] of the conv it
// transposes, and output padding is just a larger in_h/in_w. Only the taps
// that land on a conv output are visited (1 in stride / gcd(stride, dil)),
// found once per invocation: a stride-256 upsampler does not pay for the 255
// taps that miss. Otherwise not tuned for speed.
// Reference: convTransposeReference in src/engine/ops/conv-reference.ts.

override WorkgroupSize: u32 = 64;

// struct Params: shaders/lib/conv-params.wgsl (prepended by the wrapper)

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.batch * p.c_in * p.in_h * p.in_w) { return; }
  let ix = i % p.in_w;
  let iy = (i / p.in_w) % p.in_h;
  let ci = (i / (p.in_w * p.in_h)) % p.c_in;
  let n = i / (p.in_w * p.in_h * p.c_in);
  let cin_g = p.c_in / p.groups;
  let cout_g = p.c_out / p.groups;
  let g = ci / cin_g;
  let cl = ci % cin_g;

  var acc = 0.0;
  if (p.has_bias != 0u) { acc = bias[ci]; }
  let sh = i32(p.stride_h);
  let sw = i32(p.stride_w);
  let ty = i32(iy + p.pad_h);
  let tx = i32(ix + p.pad_w);
  let taps_y = landing_taps(ty, p.k_h, p.dil_h, p.stride_h);
  let taps_x = landing_taps(tx, p.k_w, p.dil_w, p.stride_w);
  for (var j = 0u; j < cout_g; j++) {
    let co = g * cout_g + j;
    let dc = (n * p.c_out + co) * p.out_h * p.out_w;
    let wc = (co * cin_g + cl) * p.k_h * p.k_w;
    for (var ky = taps_y.x; ky < p.k_h; ky += taps_y.y) {
      let ny = ty - i32(ky * p.dil_h);
      if (ny < 0 || ny / sh >= i32(p.out_h)) { continue; }
      let dr = dc + u32(ny / sh) * p.out_w;
      let wr = wc + ky * p.k_w;
      for (var kx = taps_x.x; kx < p.k_w; kx += taps_x.y) {
        let nx = tx - i32(kx * p.dil_w);
        if (nx >= 0 && nx / sw < i32(p.out_w)) {
          acc += dy[dr + u32(nx / sw)] * w[wr + kx];
        }
      }
    }
  }
  dx[i] = acc;
}

// The taps k of one axis with (t - k*dil) divisible by stride: the first one
// and the step between them (stride / gcd(stride, dil)). (k, 1) when none.
fn landing_taps(t: i32, k: u32, dil: u32, stride: u32) -> vec2u {
  var a = stride;
  var b = dil;
  while (b != 0u) {
    let r = a % b;
    a = b;
    b = r;
  }
  let step = stride / a;
  let s = i32(stride);
  for (var first = 0u; first < min(k, step); first++) {
    let m = (t - i32(first * dil)) % s;
    if (m == 0) { return vec2u(first, step); }
  }
  return vec2u(k, 1u);
}
