// End-to-end fine-tuning of the mLSTM + sentiment head: one step against
// PyTorch (goldens/ from training/mlstm/finetune_goldens.py), a finite-difference
// check of the head and LM gradients, and a short real run on SST sentences.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeness, testGpu } from '../../engine/testing';
import { parseSafetensors } from '../../io/safetensors';
import { parseMlstmConfig } from '../mlstm/config';
import { parseMlstmWeights, type MlstmWeightArrays } from '../mlstm/weights';
import type { SentimentClassifier } from './classifier';
import { fineTuneSentiment, headFromClassifier, minibatches, SentimentFineTuner } from './finetune';
import { readLabelledCsv } from './labelledData';
import golden from './goldens/finetune-step.json';

const gpu = await testGpu();
const modelDir = new URL('../mlstm/goldens/', import.meta.url);
const config = parseMlstmConfig(readFileSync(new URL('config.json', modelDir), 'utf8'));
if (!config.ok) throw new Error(config.error);
const arrays = (() => {
  const w = parseMlstmWeights(
    new Uint8Array(readFileSync(new URL('weights.safetensors', modelDir))),
    config.value,
  );
  if (!w.ok) throw new Error(w.error);
  return w.value;
})();
const expectedFile = parseSafetensors(
  new Uint8Array(readFileSync(new URL('./goldens/finetune-step.safetensors', import.meta.url))),
);
if (!expectedFile.ok) throw new Error(expectedFile.error);
const expected = (name: string): Float32Array => {
  const t = expectedFile.value.tensors.get(name);
  if (!t) throw new Error(`golden ${name} missing`);
  return t.data;
};
const H = 32;
const D = 16;
const texts = golden.texts.map((t) => Uint8Array.from(t));
const labels = Uint8Array.from(golden.labels);
const head = { w: Float32Array.from(golden.head.w), b: golden.head.b };
const recipe = {
  lr: golden.lr,
  lrLm: golden.lrLm,
  lmWeight: golden.lmWeight,
  clip: golden.clip,
  maxBytes: golden.maxBytes,
};

/** max |a - b| / max |b| */
function relError(actual: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let size = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - want[i]));
    size = Math.max(size, Math.abs(want[i]));
  }
  return err / size;
}

function copyArrays(a: MlstmWeightArrays): MlstmWeightArrays {
  const out = {} as MlstmWeightArrays;
  for (const [k, v] of Object.entries(a)) {
    out[k as keyof MlstmWeightArrays] = { shape: [...v.shape], data: v.data.slice() };
  }
  return out;
}

describe.skipIf(!gpu)('SentimentFineTuner', () => {
  afterAll(() => gpu?.flush());

  it('computes the loss and the gradients of one step like PyTorch', async () => {
    const tuner = new SentimentFineTuner(gpu!, config.value, arrays, head, recipe);
    const loss = await tuner.gradients(texts, labels);
    expect(loss).toBeCloseTo(expected('loss')[0], 4);
    const m = tuner.model;
    const wx = await m.wx.grad!.read();
    const checks: Array<[string, Float32Array]> = [
      ['grad.head.weight', await tuner.headW.grad!.read()],
      ['grad.head.bias', await tuner.headB.grad!.read()],
      ['grad.lm.embed.weight', await m.embed.grad!.read()],
      ['grad.lm.wmx.weight', wx.subarray(0, H * D)],
      ['grad.lm.wx.weight', wx.subarray(H * D)],
      ['grad.lm.wmh.weight', await m.recurrent.wmh.grad!.read()],
      ['grad.lm.wm.weight', await m.recurrent.wm.grad!.read()],
      ['grad.lm.wx.bias', await m.recurrent.bias.grad!.read()],
      ['grad.lm.out.weight', await m.wout.grad!.read()],
      ['grad.lm.out.bias', await m.bout.grad!.read()],
    ];
    for (const [name, got] of checks) {
      expect(got.every(Number.isFinite), name).toBe(true);
      expect(relError(got, expected(name)), name).toBeLessThan(2e-4);
    }
    // the norm exceeds the clip, so the step below is a clipped one
    const norm = await tuner.update();
    expect(norm).toBeCloseTo(expected('grad_norm')[0], 4);
    expect(norm).toBeGreaterThan(golden.clip);
    const after: Array<[string, Float32Array]> = [
      ['after.head.weight', await tuner.headW.read()],
      ['after.head.bias', await tuner.headB.read()],
      ['after.lm.wm.weight', await m.recurrent.wm.read()],
      ['after.lm.wx.bias', await m.recurrent.bias.read()],
    ];
    for (const [name, got] of after) {
      expect(closeness(got, expected(name), 1e-5, 1e-4), name).toBeLessThanOrEqual(1);
    }
    tuner.dispose();
  });

  it('agrees with finite differences on a head weight and an LM weight', async () => {
    const opts = { ...recipe, lmWeight: 0 };
    const tuner = new SentimentFineTuner(gpu!, config.value, arrays, head, opts);
    await tuner.gradients(texts, labels);
    const gHead = (await tuner.headW.grad!.read())[5];
    const wmGrad = await tuner.model.recurrent.wm.grad!.read();
    // the LM weight with the largest gradient: a clear signal over f32 rounding
    const at = wmGrad.reduce((best, g, i) => (Math.abs(g) > Math.abs(wmGrad[best]) ? i : best), 0);
    const gWm = wmGrad[at];
    tuner.dispose();
    const eps = 1e-2;
    const lossWith = async (edit: (w: MlstmWeightArrays, hw: Float32Array) => void) => {
      const w = copyArrays(arrays);
      const hw = head.w.slice();
      edit(w, hw);
      const t = new SentimentFineTuner(gpu!, config.value, w, { w: hw, b: head.b }, opts);
      const l = await t.gradients(texts, labels);
      t.dispose();
      return l;
    };
    const fdHead =
      ((await lossWith((_, hw) => (hw[5] += eps))) - (await lossWith((_, hw) => (hw[5] -= eps)))) /
      (2 * eps);
    const fdWm =
      ((await lossWith((w) => (w['wm.weight'].data[at] += eps))) -
        (await lossWith((w) => (w['wm.weight'].data[at] -= eps)))) /
      (2 * eps);
    expect(Math.abs(gHead)).toBeGreaterThan(1e-3);
    expect(Math.abs(gWm)).toBeGreaterThan(1e-3);
    expect(gHead).toBeCloseTo(fdHead, 3);
    expect(Math.abs(gWm - fdWm)).toBeLessThan(0.02 * Math.abs(gWm) + 1e-4);
  });

  it('folds the standardiser of a frozen-feature classifier into the head', () => {
    const c = { pool: 'final', mean: [1, -2], std: [2, 0.5], w: [4, 1], b: 0.5 };
    const h = headFromClassifier(c as unknown as SentimentClassifier);
    // w . (x - mean) / std + b at x = (3, 1): 4*1 + 1*6 + 0.5 = 10.5
    expect(h.w[0] * 3 + h.w[1] * 1 + h.b).toBeCloseTo(10.5, 5);
    expect(() =>
      headFromClassifier({ ...c, pool: 'mean' } as unknown as SentimentClassifier),
    ).toThrow(/final cell state/);
  });

  it('makes minibatches that cover every text once, each of similar lengths', () => {
    const lengths = Array.from({ length: 37 }, (_, i) => (i * 7919) % 100);
    let s = 1;
    const batches = minibatches(lengths, 4, () => (s = (s * 16807) % 2147483647) / 2147483647);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([...lengths.keys()]);
    expect(batches.filter((b) => b.length < 4).length).toBeLessThanOrEqual(2);
  });

  it('lowers the training loss on real SST sentences and keeps the best state', async () => {
    const csv = readLabelledCsv(new Uint8Array(readFileSync('/work/shared/data/sst/train.csv')), {
      limit: 32,
    });
    if (!csv.ok) throw new Error(csv.error);
    const train = { texts: csv.value.texts.slice(0, 24), labels: csv.value.labels.slice(0, 24) };
    const val = { texts: csv.value.texts.slice(24), labels: csv.value.labels.slice(24) };
    const steps: number[] = [];
    const result = await fineTuneSentiment(gpu!, config.value, arrays, train, val, {
      epochs: 6,
      batchSize: 8,
      lr: 3e-2,
      lrLm: 3e-3,
      maxBytes: 48,
      seed: 1,
      onStep: (s) => steps.push(s.step),
    });
    expect(steps).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(result.losses.every(Number.isFinite)).toBe(true);
    const first = (result.losses[0] + result.losses[1] + result.losses[2]) / 3;
    const last = (result.losses[15] + result.losses[16] + result.losses[17]) / 3;
    expect(last).toBeLessThan(first - 0.05);
    expect(result.evals.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.best.accuracy).toBe(Math.max(...result.evals.map((e) => e.accuracy)));
    // the LM weights moved (unless step 0 stayed the best)
    if (result.best.step > 0) {
      expect(relError(result.weights['wm.weight'].data, arrays['wm.weight'].data)).toBeGreaterThan(
        1e-4,
      );
    }
  });

  it('refuses bad sets with clear messages and stops when aborted', async () => {
    const good = { texts, labels };
    await expect(
      fineTuneSentiment(gpu!, config.value, arrays, { texts: [], labels: new Uint8Array() }, good),
    ).rejects.toThrow(/training set is empty/);
    await expect(
      fineTuneSentiment(gpu!, config.value, arrays, good, {
        texts,
        labels: Uint8Array.of(0, 1, 2, 1),
      }),
    ).rejects.toThrow(/validation label 2 \(expected 0 or 1, got 2\)/);
    const abort = new AbortController();
    abort.abort();
    await expect(
      fineTuneSentiment(gpu!, config.value, arrays, good, good, { signal: abort.signal }),
    ).rejects.toThrow();
    const before = gpu!.stats().liveBuffers;
    await fineTuneSentiment(gpu!, config.value, arrays, good, good, { maxBytes: 8 });
    expect(gpu!.stats().liveBuffers).toBe(before);
  });
});
