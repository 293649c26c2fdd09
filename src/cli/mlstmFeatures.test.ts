import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing';
import { loadMlstmFeatures, readMlstmFolder } from './mlstmFeatures';

const MLSTM = join('public', 'models', 'mlstm');
const WAVEGLOW = join('public', 'models', 'waveglow');
const texts = ['good', 'awful film', 'a', 'not bad at all!'].map((t) =>
  new TextEncoder().encode(t),
);

describe('mlstmFeatures', () => {
  it('names a WaveGlow folder given as the mLSTM --weights', () => {
    expect(() => readMlstmFolder(WAVEGLOW)).toThrow(
      `${WAVEGLOW} holds a WaveGlow model (its config.json has n_mel_channels, n_flows, ` +
        'n_group, WN_config), not an mLSTM one: --weights wants a folder like public/models/mlstm',
    );
    expect(() => readMlstmFolder(join(MLSTM, 'none'))).toThrow(
      /cannot read the mLSTM config .*none\/config\.json \(no such file\)/,
    );
  });

  it('gives the same features on wasm as on WebGPU, in the texts order', async () => {
    const wasm = await loadMlstmFeatures(MLSTM, 'wasm', null, { batch: 3 });
    const progress: number[] = [];
    const onWasm = await wasm.featurize(texts, (done) => progress.push(done));
    await wasm.release();
    const h = wasm.hidden;
    expect(onWasm.length).toBe(texts.length * h);
    // batches of 3 sorted by length: 'a', 'good', 'awful film', then the longest
    expect(progress).toEqual([1 + 4 + 10, 1 + 4 + 10 + 15]);
    const gpu = await testGpu();
    if (!gpu) return;
    const onGpu = await loadMlstmFeatures(MLSTM, 'webgpu', gpu);
    const reference = await onGpu.featurize(texts, () => {});
    await onGpu.release();
    let worst = 0;
    reference.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - onWasm[i]))));
    expect(worst).toBeLessThan(1e-3);
    // rows differ from text to text, so a mixed-up order could not pass the check above
    expect(Math.abs(reference[0] - reference[h])).toBeGreaterThan(1e-3);
  }, 120_000);
});
