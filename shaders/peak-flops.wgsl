// peak-flops: a compute-bound probe. Each invocation runs four independent
// vec4 multiply-add chains for `iterations` steps (32 flops per step) and
// writes one value so the work cannot be optimised away. The bench divides
// kernel GFLOP/s by this figure to report the fraction of the adapter's peak.

override WorkgroupSize: u32 = 64;

struct Params {
  iterations: u32,  // steps of the inner loop
  seed: f32,        // keeps inputs unknown to the compiler
}

@group(0) @binding(0) var<storage, read_write> sink: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let s = params.seed + f32(gid.x) * 1e-7;
  var a = vec4f(s, s + 1.0, s + 2.0, s + 3.0);
  var b = a * 0.5;
  var c = a * 0.25;
  var d = a * 0.125;
  let m = vec4f(0.9999);
  let k = vec4f(1e-4);
  for (var i = 0u; i < params.iterations; i++) {
    a = fma(a, m, k);
    b = fma(b, m, k);
    c = fma(c, m, k);
    d = fma(d, m, k);
  }
  let v = a + b + c + d;
  sink[gid.x] = v.x + v.y + v.z + v.w;
}
