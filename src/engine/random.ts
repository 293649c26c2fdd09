// Seeded pseudo-random numbers: reproducible tests, benchmarks, sampling,
// minibatch orders and weight init.

/** A source of uniform values in [0, 1) from a seed (mulberry32). */
export function uniformSource(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic uniform values in [-1, 1) from a seed. */
export function randomArray(n: number, seed = 1): Float32Array {
  const next = uniformSource(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = next() * 2 - 1;
  return out;
}
