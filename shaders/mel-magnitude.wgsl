// mel-magnitude: |X| of interleaved complex STFT values. spectrum is
// [frames, 2 * bins] with (re, im) pairs; magnitude is [frames, bins].
// Magnitudes, not power: the WaveGlow / Tacotron 2 features use |X|.
// Reference: stftMagnitudeReference in src/models/mel/melReference.ts.

override WorkgroupSize: u32 = 64;

struct Params {
  count: u32,  // frames * bins (complex values)
}

@group(0) @binding(0) var<storage, read> spectrum: array<f32>;
@group(0) @binding(1) var<storage, read_write> magnitude: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WorkgroupSize;
  if (i >= params.count) { return; }
  magnitude[i] = length(vec2f(spectrum[2u * i], spectrum[2u * i + 1u]));
}
