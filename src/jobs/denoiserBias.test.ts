import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing';
import { parseSafetensors } from '../io/safetensors';
import { parseWaveGlowConfig } from '../models/waveglow/config';
import { BIAS_MEL_FRAMES, biasFrames, biasSpectrumOf } from '../models/waveglow/denoiser';
import { DEFAULT_WAVEGLOW_DIR } from '../models/waveglow/defaultModel';
import { WaveGlow } from '../models/waveglow/waveglow';
import { WaveGlowWasm } from '../models/waveglow/waveGlowOnnx';
import { denoiserBias, synthesizeBiasAudio } from './denoiserBias';

// the studio's default WaveGlow (public/models/waveglow): the bias of the real model
const dir = join(process.cwd(), DEFAULT_WAVEGLOW_DIR);
const configText = readFileSync(join(dir, 'config.json'), 'utf8');
const weightBytes = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));

const gpu = await testGpu();

describe.skipIf(!gpu)('denoiser bias of the default WaveGlow', () => {
  const loaded = gpu ? WaveGlow.load(gpu, configText, weightBytes) : null;
  if (loaded && !loaded.ok) throw new Error(loaded.error);
  const model = loaded?.value as WaveGlow;
  afterAll(() => model?.dispose());

  it('needs 9 frames, not 88, for this config', () => {
    // first STFT frame: 513 samples = 3 frames; WN reach: (12 * 15 + 1) * 8 samples = 6 frames
    expect(biasFrames(model.config)).toBe(9);
    expect(biasFrames({ ...model.config, n_flows: 200 })).toBe(BIAS_MEL_FRAMES);
  });

  it('gives the same bias spectrum from 9 frames as from 16', async () => {
    const short = await synthesizeBiasAudio(model);
    const long = await synthesizeBiasAudio(model, 16);
    expect(short.length).toBe(model.outputSamples(9));
    expect(long.length).toBe(model.outputSamples(16));
    // the samples the first STFT frame reads agree; later ones feel the end of the mel
    let worst = 0;
    for (let i = 0; i <= 512; i++) worst = Math.max(worst, Math.abs(short[i] - long[i]));
    expect(worst).toBeLessThan(1e-5);
    const a = biasSpectrumOf(short).magnitude;
    const b = biasSpectrumOf(long).magnitude;
    let peak = 0;
    let diff = 0;
    for (let k = 0; k < a.length; k++) {
      peak = Math.max(peak, b[k]);
      diff = Math.max(diff, Math.abs(a[k] - b[k]));
    }
    // a real, non-silent bias (the model's hiss for a mel of magnitude 1)
    expect(peak).toBeGreaterThan(1e-3);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(diff).toBeLessThan(1e-4 * peak + 1e-6);
  }, 120_000);

  it('gives the same bias on the wasm twin (the backend synthesis may use)', async () => {
    const config = parseWaveGlowConfig(configText);
    const weights = parseSafetensors(weightBytes);
    if (!config.ok || !weights.ok) throw new Error('default WaveGlow does not parse');
    const wasm = await WaveGlowWasm.create(config.value, weights.value.tensors);
    try {
      const [onWasm, onGpu] = await Promise.all([denoiserBias(wasm), denoiserBias(model)]);
      let peak = 0;
      let diff = 0;
      for (let k = 0; k < onGpu.magnitude.length; k++) {
        peak = Math.max(peak, onGpu.magnitude[k]);
        diff = Math.max(diff, Math.abs(onWasm.magnitude[k] - onGpu.magnitude[k]));
      }
      expect(diff).toBeLessThan(1e-3 * peak);
    } finally {
      wasm.release();
    }
  }, 120_000);

  it('computes the bias once per model', async () => {
    const first = denoiserBias(model);
    expect(denoiserBias(model)).toBe(first);
    const bias = await first;
    expect(bias.magnitude.length).toBe(513);
    expect(bias.filterLength).toBe(1024);
  }, 120_000);
});
