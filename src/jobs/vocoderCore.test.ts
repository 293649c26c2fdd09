import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../engine/tensor';
import { closeness, randomArray, testGpu } from '../engine/testing';
import { gaussianNoise } from '../models/waveglow/noise';
import { WaveGlow } from '../models/waveglow/waveglow';
import { invertibleSpan, invertRecording, recordingLikelihood, synthesizeMel } from './vocoderCore';

// the tiny golden WaveGlow (hop 8, n_group 8): fast on SwiftShader
const dir = join(process.cwd(), 'src', 'models', 'waveglow', 'goldens');
const configText = readFileSync(join(dir, 'config.json'), 'utf8');
const weightBytes = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));

const gpu = await testGpu();

describe.skipIf(!gpu)('vocoder core on the golden WaveGlow', () => {
  const loaded = gpu ? WaveGlow.load(gpu, configText, weightBytes) : null;
  if (loaded && !loaded.ok) throw new Error(loaded.error);
  const model = loaded?.value as WaveGlow;
  afterAll(() => model?.dispose());
  const frames = 37;
  const mel = { data: randomArray(80 * frames, 11).map((v) => v - 4), bands: 80, frames };

  it('synthesises in chunks: same samples as one-shot infer, figures per chunk', async () => {
    const seen: number[] = [];
    const r = await synthesizeMel(model, mel, {
      sigma: 0.5,
      chunkFrames: 10,
      seed: 3,
      onChunk: (s, p) => void seen.push(s.length, p.chunk, p.chunks),
    });
    expect(r.samples.length).toBe(model.outputSamples(frames));
    expect(r.chunks).toBe(4);
    expect(seen.filter((_, i) => i % 3 === 1)).toEqual([1, 2, 3, 4]);
    expect(r.rtf).toBeGreaterThan(0);
    expect(r.peakBytes).toBeGreaterThan(0);
    expect(r.backend).toBe('webgpu');
    const melT = tensor(gpu!, mel.data, [1, 80, frames]);
    const [, g, groups] = model.noiseShape(frames);
    const noise = tensor(gpu!, gaussianNoise(3)(g, 0, groups), [1, g, groups]);
    const oneShot = await model.infer(melT, noise, 0.5);
    expect(closeness(r.samples, await oneShot.read(), 1e-5, 1e-4)).toBeLessThanOrEqual(1);
    for (const t of [melT, noise, oneShot]) t.dispose();
  });

  it('stops between chunks when the signal aborts', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const run = synthesizeMel(model, mel, {
      chunkFrames: 10,
      signal: controller.signal,
      onChunk: () => {
        chunks++;
        controller.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow('stop here');
    expect(chunks).toBe(1);
  });

  it('inverts audio to float rounding over the span both directions take', async () => {
    const samples = 8 * frames - 5; // not a multiple of the hop: trimmed
    const span = invertibleSpan(model, samples, frames);
    expect(span).toEqual({ frames: frames - 1, samples: 8 * (frames - 1) });
    const audio = randomArray(samples, 4).map((v) => 0.3 * v);
    const r = await invertRecording(model, audio, mel);
    expect(r.samples).toBe(span.samples);
    expect(r.audio.length).toBe(span.samples);
    let worst = 0;
    for (let i = 0; i < r.samples; i++) worst = Math.max(worst, Math.abs(r.audio[i] - audio[i]));
    expect(r.maxAbsError).toBe(worst);
    expect(worst).toBeLessThan(1e-4);
  });

  it('reports the likelihood with the Gaussian constant, and nats / ln 2 bits', async () => {
    const audio = randomArray(8 * frames, 5).map((v) => 0.3 * v);
    const r = await recordingLikelihood(model, audio, mel, 0.8);
    const melPart = mel.data.filter((_, i) => i % frames < r.frames);
    const melT = tensor(gpu!, melPart, [1, 80, r.frames]);
    const audioT = tensor(gpu!, audio.subarray(0, r.samples), [1, r.samples]);
    const { z, nll } = model.forward(melT, audioT, 0.8);
    const loss = (await nll.read())[0];
    for (const t of [melT, audioT, z, nll]) t.dispose();
    expect(r.loss).toBeCloseTo(loss, 5);
    expect(r.nats).toBeCloseTo(loss + 0.5 * Math.log(2 * Math.PI * 0.64), 5);
    expect(r.bits).toBeCloseTo(r.nats / Math.LN2, 6);
  });
});
