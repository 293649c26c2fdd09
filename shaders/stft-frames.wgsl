// stft-frames: cuts a mono signal into windowed STFT frames, [frames, n_fft]
// row-major, for frames frame_offset .. frame_offset + frames - 1. The signal
// is reflect-padded by `pad` samples at each end (numpy/torch 'reflect': the
// edge sample is not repeated), reflecting again for signals shorter than the
// padding. Reference: stftMagnitudeReference in src/models/mel/melReference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  n_samples: u32,     // signal length (>= 1)
  frame_offset: u32,  // index of the first frame written
  frames: u32,        // frames written by this dispatch
  n_fft: u32,         // frame length = window length
  hop: u32,           // samples between frame starts
  pad: u32,           // reflect padding at the start (n_fft / 2)
}

@group(0) @binding(0) var<storage, read> signal: array<f32>;
@group(0) @binding(1) var<storage, read> hann: array<f32>;  // periodic Hann, [n_fft]
@group(0) @binding(2) var<storage, read_write> frames: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// index into the signal for padded position i (may be negative or past the end)
fn reflect_index(i: i32, n: i32) -> i32 {
  if (n == 1) { return 0; }
  let period = 2 * (n - 1);
  var j = i % period;
  if (j < 0) { j += period; }
  return select(period - j, j, j < n);
}

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= p.frames * p.n_fft) { return; }
  let f = i / p.n_fft;
  let t = i % p.n_fft;
  let pos = i32((p.frame_offset + f) * p.hop + t) - i32(p.pad);
  frames[i] = signal[reflect_index(pos, i32(p.n_samples))] * hann[t];
}
