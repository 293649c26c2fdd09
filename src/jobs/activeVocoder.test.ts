import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing';
import {
  activeVocoder,
  activeVocoderOn,
  setActiveVocoder,
  subscribeActiveVocoder,
  type KeptVocoder,
} from './activeVocoder';

// the tiny random WaveGlow of the PyTorch goldens: loads in milliseconds
const dir = join(process.cwd(), 'src', 'models', 'waveglow', 'goldens');
const kept: KeptVocoder = {
  label: 'fine-tuned on test.wav, 3 steps',
  configText: readFileSync(join(dir, 'config.json'), 'utf8'),
  weights: new Uint8Array(readFileSync(join(dir, 'weights.safetensors'))),
};

const gpu = await testGpu();

describe.skipIf(!gpu)('the active vocoder', () => {
  it('is the default (null) until a model is kept, then loads it once per Gpu', () => {
    setActiveVocoder(null);
    expect(activeVocoder()).toBeNull();
    expect(activeVocoderOn(gpu!)).toBeNull();
    const seen: Array<string | null> = [];
    const stop = subscribeActiveVocoder((k) => seen.push(k?.label ?? null));
    setActiveVocoder(kept);
    const a = activeVocoderOn(gpu!);
    expect(a?.ok).toBe(true);
    expect(activeVocoderOn(gpu!)).toEqual(a);
    const model = a!.ok ? a!.value : null;
    expect(model!.config.n_group).toBe(JSON.parse(kept.configText).n_group);
    // reverting frees the kept model's weights
    setActiveVocoder(null);
    expect(() => model!.weights.get('upsample.weight')).toThrow('used after dispose');
    expect(activeVocoderOn(gpu!)).toBeNull();
    stop();
    expect(seen).toEqual([kept.label, null]);
  });

  it('names the kept model when its files do not load, and leaves nothing loaded', () => {
    const live = gpu!.stats().liveBuffers;
    setActiveVocoder({ ...kept, weights: kept.weights.slice(0, 100) });
    const r = activeVocoderOn(gpu!);
    expect(r?.ok).toBe(false);
    expect(r && !r.ok && r.error).toContain('The fine-tuned WaveGlow (fine-tuned on test.wav');
    expect(gpu!.stats().liveBuffers).toBe(live);
    setActiveVocoder(null);
  });
});
