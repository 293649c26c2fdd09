// conv2d, register-tiled: same contract and Params as conv2d.wgsl, but each
// invocation computes 4 output channels x 8 neighbouring output columns of
// one output row, in eight vec4 accumulators (per channel, two vec4 of columns).
// Fully unrolled, no arrays, no barriers: the shape that runs fast on
// software adapters (see conv1d-tiled.wgsl). Rows whose taps stay inside the
// image skip the padding selects. Channel tiles never cross a group; edge
// channels and columns are clamped onto valid ones and not stored.
// Grid: x = column tiles, y = output rows, z = batch * groups * ceil(cout_g / 4).
// Reference: convReference in src/engine/ops/conv-reference.ts.

override WorkgroupX: u32 = 8;
override WorkgroupY: u32 = 8;

// struct Params: shaders/lib/conv-params.wgsl (prepended by the wrapper)

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupX, WorkgroupY)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let p = params;
  let cin_g = p.c_in / p.groups;
  let cout_g = p.c_out / p.groups;
  let tiles_g = (cout_g + 3u) / 4u;
  let ox0 = gid.x * 8u;
  let oy = gid.y;
  let n = gid.z / (p.groups * tiles_g);
  let rest = gid.z % (p.groups * tiles_g);
  let g = rest / tiles_g;
  if (ox0 >= p.out_w || oy >= p.out_h || n >= p.batch) { return; }
  let col0 = (rest % tiles_g) * 4u;

  let last = cout_g - 1u;
  let co0 = g * cout_g + col0;
  let co1 = g * cout_g + min(col0 + 1u, last);
  let co2 = g * cout_g + min(col0 + 2u, last);
  let co3 = g * cout_g + min(col0 + 3u, last);
  let kk = p.k_h * p.k_w;
  // weights of one output channel: a contiguous block of cin_g * kh * kw
  let w0 = co0 * cin_g * kk;
  let w1 = co1 * cin_g * kk;
  let w2 = co2 * cin_g * kk;
  let w3 = co3 * cin_g * kk;

  // input columns of the 8 output columns at tap kx = 0 (lo: first 4, hi: next 4)
  let sw = i32(p.stride_w);
  let q0 = vec4i(i32(ox0) * sw - i32(p.pad_w)) + vec4i(0, sw, 2 * sw, 3 * sw);
  let q0h = q0 + vec4i(4 * sw);
  let width = i32(p.in_w);
  let reach = i32((p.k_w - 1u) * p.dil_w);
  let cols_inside = q0.x >= 0 && q0h.w + reach < width;
  let iy0 = i32(oy * p.stride_h) - i32(p.pad_h);
  let plane = p.in_h * p.in_w;

  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  var a3 = vec4f(0.0);
  var b0 = vec4f(0.0);
  var b1 = vec4f(0.0);
  var b2 = vec4f(0.0);
  var b3 = vec4f(0.0);
  for (var ci = 0u; ci < cin_g; ci++) {
    let xc = (n * p.c_in + g * cin_g + ci) * plane;
    for (var ky = 0u; ky < p.k_h; ky++) {
      let iy = iy0 + i32(ky * p.dil_h);
      if (iy < 0 || iy >= i32(p.in_h)) { continue; }
      let xr = xc + u32(iy) * p.in_w;
      let wr = (ci * p.k_h + ky) * p.k_w;
      for (var kx = 0u; kx < p.k_w; kx++) {
        let tap = vec4i(i32(kx * p.dil_w));
        var xv: vec4f;
        var xh: vec4f;
        if (cols_inside) {
          let b = xr + u32(q0.x + tap.x);
          let s = p.stride_w;
          xv = vec4f(x[b], x[b + s], x[b + 2u * s], x[b + 3u * s]);
          let bh = b + 4u * s;
          xh = vec4f(x[bh], x[bh + s], x[bh + 2u * s], x[bh + 3u * s]);
        } else {
          xv = load_padded(xr, q0 + tap, width);
          xh = load_padded(xr, q0h + tap, width);
        }
        let j = wr + kx;
        let v0 = w[w0 + j];
        let v1 = w[w1 + j];
        let v2 = w[w2 + j];
        let v3 = w[w3 + j];
        a0 += v0 * xv;
        a1 += v1 * xv;
        a2 += v2 * xv;
        a3 += v3 * xv;
        b0 += v0 * xh;
        b1 += v1 * xh;
        b2 += v2 * xh;
        b3 += v3 * xh;
      }
    }
  }

  let out = ((n * p.c_out + co0) * p.out_h + oy) * p.out_w + ox0;
  let step = p.out_h * p.out_w;  // next output channel
  let cols = p.out_w - ox0;
  let rows = cout_g - col0;
  store8(out, a0, b0, bias_of(co0), cols);
  if (rows > 1u) { store8(out + step, a1, b1, bias_of(co1), cols); }
  if (rows > 2u) { store8(out + 2u * step, a2, b2, bias_of(co2), cols); }
  if (rows > 3u) { store8(out + 3u * step, a3, b3, bias_of(co3), cols); }
}

// x at 4 columns q of the row starting at xr; zero outside [0, width)
fn load_padded(xr: u32, q: vec4i, width: i32) -> vec4f {
  let inside = (q >= vec4i(0)) & (q < vec4i(width));
  let qc = vec4u(clamp(q, vec4i(0), vec4i(width - 1)));
  let v = vec4f(x[xr + qc.x], x[xr + qc.y], x[xr + qc.z], x[xr + qc.w]);
  return select(vec4f(0.0), v, inside);
}

// writes the first min(8, cols) of (lo, hi) + b at y[at..]
fn store8(at: u32, lo: vec4f, hi: vec4f, b: f32, cols: u32) {
  store4(at, lo + b, cols);
  if (cols > 4u) { store4(at + 4u, hi + b, cols - 4u); }
}

fn bias_of(co: u32) -> f32 {
  if (params.has_bias != 0u) { return bias[co]; }
  return 0.0;
}

// writes the first min(4, cols) lanes of v at y[at..]
fn store4(at: u32, v: vec4f, cols: u32) {
  y[at] = v.x;
  if (cols > 1u) { y[at + 1u] = v.y; }
  if (cols > 2u) { y[at + 2u] = v.z; }
  if (cols > 3u) { y[at + 3u] = v.w; }
}
