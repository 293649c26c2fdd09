// Band-limited resampling with a Kaiser-windowed sinc (the method of
// Smith's "Digital Audio Resampling" and of resampy): each output sample is a
// weighted sum of the input around its position, the sinc's cutoff at
// `rolloff` x the lower of the two Nyquist frequencies, so downsampling
// filters out what the new rate cannot hold. The kernel is tabulated
// (OVERSAMPLE points per zero crossing, linear interpolation between them).
// Stopband about -90 dB; passband flat to ~0.94 x the lower Nyquist.

const ZERO_CROSSINGS = 24; // kernel half-width, in periods of the lower rate
const OVERSAMPLE = 512; // table points per zero crossing
const BETA = 9; // Kaiser shape
const ROLLOFF = 0.94; // cutoff as a fraction of the lower Nyquist

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

let table: Float64Array | null = null;

/** h(u) = rolloff sinc(rolloff u) kaiser(u / zc) at u = i / OVERSAMPLE, for u in [0, zc]. */
function kernelTable(): Float64Array {
  if (table) return table;
  const n = ZERO_CROSSINGS * OVERSAMPLE + 2;
  table = new Float64Array(n);
  const norm = besselI0(BETA);
  for (let i = 0; i < n; i++) {
    const u = i / OVERSAMPLE;
    const r = Math.min(1, u / ZERO_CROSSINGS);
    const kaiser = besselI0(BETA * Math.sqrt(1 - r * r)) / norm;
    const x = Math.PI * ROLLOFF * u;
    table[i] = ROLLOFF * (x === 0 ? 1 : Math.sin(x) / x) * kaiser;
  }
  return table;
}

/** Output length for `n` samples: ceil(n * to / from). */
export function resampledLength(n: number, from: number, to: number): number {
  return Math.ceil((n * to) / from);
}

/**
 * Resamples `input` from `from` Hz to `to` Hz. Returns the input itself when
 * the rates are equal. Samples beyond the ends count as zero.
 * Cost: about 2 * zc * max(1, from / to) multiply-adds per output sample.
 */
export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return input;
  const h = kernelTable();
  const n = input.length;
  const out = new Float32Array(resampledLength(n, from, to));
  const scale = Math.min(1, to / from); // kernel stretch when downsampling
  const reach = ZERO_CROSSINGS / scale; // half-width in input samples
  const step = scale * OVERSAMPLE; // table points per input sample
  const maxIndex = ZERO_CROSSINGS * OVERSAMPLE;
  for (let m = 0; m < out.length; m++) {
    const pos = (m * from) / to;
    const lo = Math.max(0, Math.ceil(pos - reach));
    const hi = Math.min(n - 1, Math.floor(pos + reach));
    let acc = 0;
    for (let i = lo; i <= hi; i++) {
      const t = Math.abs(pos - i) * step;
      const k = Math.floor(t);
      if (k >= maxIndex) continue;
      const frac = t - k;
      acc += input[i] * (h[k] + frac * (h[k + 1] - h[k]));
    }
    out[m] = acc * scale;
  }
  return out;
}
