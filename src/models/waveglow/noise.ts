// Reproducible Gaussian noise addressed by position: z[c, j] depends only on
// (seed, channel c, absolute group j), so a chunk of a long synthesis draws
// exactly the noise the one-shot synthesis would draw at the same samples.

/** [channels, count] row-major z for groups [start, start + count). */
export type NoiseSource = (channels: number, start: number, count: number) => Float32Array;

function hash32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Standard normal noise by Box-Muller on a counter hash (not cryptographic). */
export function gaussianNoise(seed = 1): NoiseSource {
  const key = hash32(seed ^ 0x9e3779b9);
  return (channels, start, count) => {
    const out = new Float32Array(channels * count);
    for (let c = 0; c < channels; c++) {
      for (let j = 0; j < count; j++) {
        const n = (start + j) * channels + c;
        const u1 = (hash32(hash32(2 * n) ^ key) + 0.5) / 4294967296;
        const u2 = (hash32(hash32(2 * n + 1) ^ key) + 0.5) / 4294967296;
        out[c * count + j] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      }
    }
    return out;
  };
}
