// conv2d, direct and naive: one output element per invocation, PyTorch Conv2d
// semantics on NCHW with weights [Cout, Cin/groups, KH, KW]:
//   y[n, co, oy, ox] = bias[co] + sum_{ci, ky, kx} w[co, ci, ky, kx]
//                      * x[n, g*cin_g + ci, oy*stride_h - pad_h + ky*dil_h, (same for x)]
// with g = co / cout_g and zero padding. Also the input gradient of
// convTranspose2d. Chosen over im2col + matmul for simplicity and memory (no
// [Cin*KH*KW, OH*OW] scratch buffer); not tuned for speed.
// Reference: convReference in src/engine/ops/conv-reference.ts.

override WorkgroupSize: u32 = 64;

// struct Params: shaders/lib/conv-params.wgsl (prepended by the wrapper)

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.batch * p.c_out * p.out_h * p.out_w) { return; }
  let ox = i % p.out_w;
  let oy = (i / p.out_w) % p.out_h;
  let co = (i / (p.out_w * p.out_h)) % p.c_out;
  let n = i / (p.out_w * p.out_h * p.c_out);
  let cin_g = p.c_in / p.groups;
  let g = co / (p.c_out / p.groups);

  var acc = 0.0;
  if (p.has_bias != 0u) { acc = bias[co]; }
  let y0 = i32(oy * p.stride_h) - i32(p.pad_h);
  let x0 = i32(ox * p.stride_w) - i32(p.pad_w);
  for (var ci = 0u; ci < cin_g; ci++) {
    let xc = (n * p.c_in + g * cin_g + ci) * p.in_h * p.in_w;
    let wc = (co * cin_g + ci) * p.k_h * p.k_w;
    for (var ky = 0u; ky < p.k_h; ky++) {
      let iy = y0 + i32(ky * p.dil_h);
      if (iy < 0 || iy >= i32(p.in_h)) { continue; }
      let xr = xc + u32(iy) * p.in_w;
      let wr = wc + ky * p.k_w;
      for (var kx = 0u; kx < p.k_w; kx++) {
        let ix = x0 + i32(kx * p.dil_w);
        if (ix >= 0 && ix < i32(p.in_w)) {
          acc += x[xr + u32(ix)] * w[wr + kx];
        }
      }
    }
  }
  y[i] = acc;
}
