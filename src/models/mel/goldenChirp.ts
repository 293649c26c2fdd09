// Test helper: the golden file (goldens/mel_golden.json, written by
// training/goldens/mel_golden.py) and its chirp regenerated in TypeScript.
import golden from './goldens/mel_golden.json';

export { golden };

/** The golden's chirp, rounded to float32 like the script's. */
export function goldenChirp(): Float32Array {
  const { seconds, f0, f1, amplitude } = golden.chirp;
  const sr = golden.config.sr;
  const n = golden.chirp.samples; // floor(seconds * sr)
  const k = (f1 - f0) / seconds;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    out[i] = amplitude * Math.sin(2 * Math.PI * (f0 * t + 0.5 * k * t * t));
  }
  return out;
}
