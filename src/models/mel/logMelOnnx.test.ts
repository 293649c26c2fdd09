import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../io/wav';
import { LogMelWasm } from './logMelOnnx';
import { logMelReference } from './melReference';

const WAV = '../shared/data/ljspeech/wavs/LJ001-0001.wav';

describe('LogMelWasm (onnxruntime-web fallback)', () => {
  it('matches the float64 reference on a short synthetic signal', async () => {
    const samples = new Float32Array(3000).map(
      (_, i) => 0.3 * Math.sin(i * 0.05) + 0.1 * Math.sin(i * 0.9),
    );
    const model = await LogMelWasm.create();
    const out = await model.run(samples);
    const ref = logMelReference(samples);
    expect(out.length).toBe(ref.length);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) {
      if (ref[i] > Math.log(1e-4)) worst = Math.max(worst, Math.abs(out[i] - ref[i]));
    }
    expect(worst).toBeLessThan(1e-3);
    await model.release();
  });

  it.skipIf(!existsSync(WAV))(
    'matches the reference on 2 s of LJ001-0001 (needs ../shared/data)',
    async () => {
      const decoded = decodeWav(readFileSync(WAV));
      if (!decoded.ok) throw new Error(decoded.error.message);
      const samples = decoded.value.samples.subarray(0, 44100);
      const model = await LogMelWasm.create();
      const out = await model.run(samples);
      const ref = logMelReference(samples);
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(out[i] - ref[i]));
      expect(worst).toBeLessThan(1e-3);
      await model.release();
    },
  );

  it('joins chunks seamlessly when the signal spans several ORT runs', async () => {
    // 2048 * 256 samples make 2049 frames: two chunks, the second of one frame
    const n = 2048 * 256 + 100;
    const samples = new Float32Array(n).map((_, i) => 0.2 * Math.sin(i * 0.01));
    const model = await LogMelWasm.create();
    const out = await model.run(samples);
    const frames = Math.floor(n / 256) + 1;
    expect(out.length).toBe(80 * frames);
    // a tail starting on a frame centre has the same last frames (same right edge)
    const tail = samples.subarray((frames - 11) * 256);
    const ref = logMelReference(tail);
    const tailFrames = Math.floor(tail.length / 256) + 1;
    let worst = 0;
    for (let b = 0; b < 80; b++) {
      for (let k = 1; k <= 3; k++) {
        const got = out[b * frames + frames - k];
        const want = ref[b * tailFrames + tailFrames - k];
        if (want > Math.log(1e-4)) worst = Math.max(worst, Math.abs(got - want));
      }
    }
    expect(worst).toBeLessThan(1e-3);
    await model.release();
  });

  it('refuses an empty signal', async () => {
    const model = await LogMelWasm.create();
    await expect(model.run(new Float32Array(0))).rejects.toThrow(/no samples/);
  });
});
