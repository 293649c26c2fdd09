// Short inputs for the vocoder command tests: a real speech excerpt where the
// LJ Speech corpus is present, a voiced-like synthetic signal otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../io/wav';
import { makeWav } from '../io/wavTestUtils';

const LJ = join(process.cwd(), '..', 'shared', 'data', 'ljspeech', 'wavs', 'LJ001-0002.wav');

/** 0.2 s of LJ001-0002, or of a voiced-like synthetic signal where the corpus is absent. */
export function shortSpeech(): Float32Array {
  const n = Math.round(0.2 * 22050);
  if (existsSync(LJ)) {
    const d = decodeWav(new Uint8Array(readFileSync(LJ)));
    if (!d.ok) throw new Error(d.error.message);
    return d.value.samples.slice(4000, 4000 + n);
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let h = 1; h <= 8; h++)
      out[i] += (0.3 / h) * Math.sin((2 * Math.PI * 120 * h * i) / 22050);
  }
  return out;
}

export function wavOf(samples: Float32Array): Uint8Array {
  return makeWav({ sampleRate: 22050, channels: [Float64Array.from(samples)], bits: 16 });
}
