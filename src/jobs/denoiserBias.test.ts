import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing';
import { parseSafetensors } from '../io/safetensors';
import { parseWaveGlowConfig } from '../models/waveglow/config';
import { BIAS_MEL_FRAMES, biasSpectrumOf, minimalBiasFrames } from '../models/waveglow/denoiser';
import { DEFAULT_WAVEGLOW_DIR } from '../models/waveglow/defaultModel';
import { WaveGlow } from '../models/waveglow/waveglow';
import { WaveGlowWasm } from '../models/waveglow/waveGlowOnnx';
import { biasFramesFor, denoiserBias, synthesizeBiasAudio } from './denoiserBias';

// the studio's default WaveGlow (public/models/waveglow): the bias of the real model
const dir = join(process.cwd(), DEFAULT_WAVEGLOW_DIR);
const configText = readFileSync(join(dir, 'config.json'), 'utf8');
const weightBytes = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));

const config = parseWaveGlowConfig(configText);
const weights = parseSafetensors(weightBytes);
if (!config.ok || !weights.ok) throw new Error('default WaveGlow does not parse');

/** Largest |a - b| over the bins, and b's peak. */
function spectrumGap(a: Float32Array, b: Float32Array): { diff: number; peak: number } {
  let peak = 0;
  let diff = 0;
  for (let k = 0; k < a.length; k++) {
    peak = Math.max(peak, b[k]);
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
  }
  return { diff, peak };
}

describe('denoiser bias of the default WaveGlow on wasm', () => {
  let wasm: WaveGlowWasm;
  beforeAll(async () => {
    wasm = await WaveGlowWasm.create(config.value, weights.value.tensors);
  });
  afterAll(() => wasm?.release());

  it("uses NVIDIA's 88 zero frames", async () => {
    expect(BIAS_MEL_FRAMES).toBe(88);
    expect(biasFramesFor(wasm)).toBe(88);
    const audio = await synthesizeBiasAudio(wasm);
    expect(audio.length).toBe(88 * config.value.hop_length);
  });

  it('gives the same bias from 9 frames as from 88 (the software-GPU shortcut)', async () => {
    // first STFT frame: 513 samples = 3 frames; WN reach: (12 * 15 + 1) * 8 samples = 6 frames
    expect(minimalBiasFrames(config.value)).toBe(9);
    expect(minimalBiasFrames({ ...config.value, n_flows: 200 })).toBe(BIAS_MEL_FRAMES);
    const short = await synthesizeBiasAudio(wasm, 9);
    const full = await synthesizeBiasAudio(wasm, 88);
    // the samples the first STFT frame reads agree; later ones feel the end of the mel
    let worst = 0;
    for (let i = 0; i <= 512; i++) worst = Math.max(worst, Math.abs(short[i] - full[i]));
    expect(worst).toBeLessThan(1e-5);
    const { diff, peak } = spectrumGap(
      biasSpectrumOf(short).magnitude,
      biasSpectrumOf(full).magnitude,
    );
    // a real, non-silent bias (the model's hiss for a mel of magnitude 1)
    expect(peak).toBeGreaterThan(1e-3);
    expect(diff).toBeLessThan(1e-4 * peak + 1e-6);
    // while the audio after the first frame does differ: the 88 frames are not padding
    let later = 0;
    for (let i = 9 * 256 - 600; i < 9 * 256; i++)
      later = Math.max(later, Math.abs(short[i] - full[i]));
    expect(later).toBeGreaterThan(1e-4);
  }, 120_000);

  it('computes the bias once per model', async () => {
    const first = denoiserBias(wasm);
    expect(denoiserBias(wasm)).toBe(first);
    const bias = await first;
    expect(bias.magnitude.length).toBe(513);
    expect(bias.filterLength).toBe(1024);
    expect(bias.magnitude.every(Number.isFinite)).toBe(true);
  }, 120_000);
});

const gpu = await testGpu();

describe.skipIf(!gpu)('denoiser bias of the default WaveGlow on WebGPU', () => {
  const loaded = gpu ? WaveGlow.load(gpu, configText, weightBytes) : null;
  if (loaded && !loaded.ok) throw new Error(loaded.error);
  const model = loaded?.value as WaveGlow;
  afterAll(() => model?.dispose());

  it('takes 88 frames on a hardware adapter, the minimal 9 on a software one', () => {
    expect(biasFramesFor(model)).toBe(model.gpu.profile.isSoftware ? 9 : 88);
  });

  it("gives the same bias as the wasm twin's 88-frame one (synthesis may use either)", async () => {
    const wasm = await WaveGlowWasm.create(config.value, weights.value.tensors);
    try {
      const [onWasm, onGpu] = await Promise.all([denoiserBias(wasm), denoiserBias(model)]);
      const { diff, peak } = spectrumGap(onWasm.magnitude, onGpu.magnitude);
      expect(peak).toBeGreaterThan(1e-3);
      expect(diff).toBeLessThan(1e-3 * peak);
    } finally {
      await wasm.release();
    }
  }, 120_000);
});
