// Params of the 2-D conv kernels (conv2d, conv2d-tiled, conv-transpose2d,
// conv2d-weight-grad): the conv's index relation, packed by packConvGeometry
// in src/engine/ops/conv-geometry.ts. Prepended to each of those shaders.

struct Params {
  batch: u32,     // N
  c_in: u32,      // channels of the conv input x (all groups)
  in_h: u32,      // height of x
  in_w: u32,      // width of x
  c_out: u32,     // channels of the conv output y (all groups)
  out_h: u32,     // height of y
  out_w: u32,     // width of y
  groups: u32,
  k_h: u32,       // kernel height
  k_w: u32,       // kernel width
  stride_h: u32,
  stride_w: u32,
  pad_h: u32,     // zero padding above and below
  pad_w: u32,     // zero padding left and right
  dil_h: u32,     // dilation between kernel rows
  dil_w: u32,     // dilation between kernel columns
  has_bias: u32,  // 0: the bias binding aliases w and is ignored
}
