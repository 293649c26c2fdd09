// synthesizeMel on the wasm WaveGlow: the same chunked synthesis and figures
// as on the GPU (vocoderCore.test.ts), and the same samples as the GPU model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomArray, testGpu } from '../engine/testing';
import { parseSafetensors } from '../io/safetensors';
import { parseWaveGlowConfig } from '../models/waveglow/config';
import { gaussianNoise } from '../models/waveglow/noise';
import { WaveGlow } from '../models/waveglow/waveglow';
import { WaveGlowWasm } from '../models/waveglow/waveGlowOnnx';
import { synthesizeMel } from './vocoderCore';

// the tiny golden WaveGlow (hop 8, n_group 8)
const dir = join(process.cwd(), 'src', 'models', 'waveglow', 'goldens');
const configText = readFileSync(join(dir, 'config.json'), 'utf8');
const weightBytes = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));
const config = parseWaveGlowConfig(configText);
const weights = parseSafetensors(weightBytes);
if (!config.ok || !weights.ok) throw new Error('golden WaveGlow does not load');

const gpu = await testGpu();
const frames = 37;
const mel = { data: randomArray(80 * frames, 11).map((v) => v - 4), bands: 80, frames };

describe('synthesizeMel on wasm', () => {
  let model: WaveGlowWasm;
  afterAll(() => model?.release());

  it('synthesises in chunks: the one-shot samples, figures per chunk, no GPU memory', async () => {
    model = await WaveGlowWasm.create(config.value, weights.value.tensors);
    const seen: number[] = [];
    const r = await synthesizeMel(model, mel, {
      sigma: 0.5,
      chunkFrames: 10,
      seed: 3,
      onChunk: (_, p) => void seen.push(p.chunk, p.chunks),
    });
    expect(r.samples.length).toBe(model.outputSamples(frames));
    expect(r.chunks).toBe(4);
    expect(seen.filter((_, i) => i % 2 === 0)).toEqual([1, 2, 3, 4]);
    expect(r.rtf).toBeGreaterThan(0);
    expect(r.peakBytes).toBe(0);
    expect(r.backend).toBe('wasm');
    const g = config.value.n_group;
    const groups = model.outputSamples(frames) / g;
    const z = gaussianNoise(3)(g, 0, groups).map((v) => v * 0.5);
    const oneShot = await model.infer(mel, z);
    let worst = 0;
    for (let i = 0; i < oneShot.length; i++) {
      worst = Math.max(worst, Math.abs(r.samples[i] - oneShot[i]));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('stops between chunks when the signal aborts, and refuses a short mel data', async () => {
    const controller = new AbortController();
    let chunks = 0;
    await expect(
      synthesizeMel(model, mel, {
        chunkFrames: 10,
        signal: controller.signal,
        onChunk: () => {
          chunks++;
          controller.abort(new Error('stop'));
        },
      }),
    ).rejects.toThrow('stop');
    expect(chunks).toBe(1);
    await expect(synthesizeMel(model, { ...mel, data: mel.data.subarray(1) })).rejects.toThrow(
      /mel data length \(expected 2960, got 2959\)/,
    );
  });

  it.skipIf(!gpu)("gives the GPU model's samples for the same mel, sigma and seed", async () => {
    const loaded = WaveGlow.load(gpu!, configText, weightBytes);
    if (!loaded.ok) throw new Error(loaded.error);
    const opts = { sigma: 0.7, chunkFrames: 16, seed: 9 };
    const want = await synthesizeMel(loaded.value, mel, opts);
    const got = await synthesizeMel(model, mel, opts);
    loaded.value.dispose();
    let err = 0;
    let scale = 0;
    for (let i = 0; i < want.samples.length; i++) {
      err = Math.max(err, Math.abs(got.samples[i] - want.samples[i]));
      scale = Math.max(scale, Math.abs(want.samples[i]));
    }
    expect(err / scale).toBeLessThan(1e-4);
  });
});
