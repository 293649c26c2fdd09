// Parity of the WGSL mLSTM with PyTorch (goldens/ from training/mlstm/goldens.py):
// logits, final states, mean features and the gradients of the next-byte loss.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../../engine/autograd';
import { closeness, testGpu } from '../../engine/testing';
import { parseSafetensors } from '../../io/safetensors';
import { MlstmModel, sampleByte } from './mlstm';
import texts from './goldens/texts.json';

const gpu = await testGpu();
const dir = new URL('./goldens/', import.meta.url);
const configJson = readFileSync(new URL('config.json', dir), 'utf8');
const weightBytes = new Uint8Array(readFileSync(new URL('weights.safetensors', dir)));
const expectedFile = parseSafetensors(
  new Uint8Array(readFileSync(new URL('expected.safetensors', dir))),
);
if (!expectedFile.ok) throw new Error(expectedFile.error);
const expected = (name: string): Float32Array => {
  const t = expectedFile.value.tensors.get(name);
  if (!t) throw new Error(`golden ${name} missing`);
  return t.data;
};
const inputs = texts.texts.map((t) => Uint8Array.from(t));
const H = 32;

/** max |a - b| / max |b|: the relative error the brief asks to keep under 1e-4 */
function relError(actual: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return err / scale;
}

describe.skipIf(!gpu)('MlstmModel against PyTorch', () => {
  const loaded = MlstmModel.load(gpu!, configJson, weightBytes);
  if (!loaded.ok) throw new Error(loaded.error);
  const model = loaded.value;
  afterAll(() => {
    model.dispose();
    gpu?.flush();
  });

  it('gives the final cell states and mean-pooled h of a batch of different lengths', async () => {
    const c = model.featurize(inputs);
    expect(c.shape).toEqual([inputs.length, H]);
    const cv = await c.read();
    expect(relError(cv, expected('c_final'))).toBeLessThan(1e-4);
    // and elementwise: 1e-4 relative with a small floor for values near 0
    expect(closeness(cv, expected('c_final'), 1e-6, 1e-4)).toBeLessThanOrEqual(1);
    const mean = model.featurize(inputs, { pool: 'mean' });
    expect(relError(await mean.read(), expected('h_mean'))).toBeLessThan(1e-4);
    c.dispose();
    mean.dispose();
  });

  it('gives the next-byte logits of each text, alone and batched', async () => {
    const batch = model.batchLogits(inputs);
    const all = await batch.read();
    const steps = batch.shape[1];
    for (let k = 0; k < inputs.length; k++) {
      const n = inputs[k].length;
      const want = expected(`logits.${k}`);
      const rows = all.subarray(k * steps * 256, (k * steps + n) * 256);
      expect(relError(rows, want), `text ${k} batched`).toBeLessThan(1e-4);
      expect(closeness(rows, want, 1e-6, 1e-4), `text ${k}`).toBeLessThanOrEqual(1);
      const alone = model.logits(inputs[k]);
      expect(alone.shape).toEqual([n, 256]);
      expect(relError(await alone.read(), want), `text ${k} alone`).toBeLessThan(1e-4);
      alone.dispose();
    }
    batch.dispose();
  });

  it('backpropagates the next-byte loss into every weight like PyTorch', async () => {
    const trainable = MlstmModel.load(gpu!, configJson, weightBytes);
    if (!trainable.ok) throw new Error(trainable.error);
    const m = trainable.value;
    for (const p of m.parameters()) p.requiresGrad = true;
    const loss = m.nextByteLoss(inputs);
    expect((await loss.read())[0]).toBeCloseTo(expected('loss')[0], 4);
    backward(loss);
    const wx = await m.wx.grad!.read();
    const d = 16;
    const checks: Array<[string, Float32Array, number]> = [
      ['grad.embed.weight', await m.embed.grad!.read(), 2e-4],
      ['grad.wmx.weight', wx.subarray(0, H * d), 2e-4],
      ['grad.wx.weight', wx.subarray(H * d), 2e-4],
      ['grad.wmh.weight', await m.recurrent.wmh.grad!.read(), 2e-4],
      ['grad.wm.weight', await m.recurrent.wm.grad!.read(), 2e-4],
      ['grad.wx.bias', await m.recurrent.bias.grad!.read(), 2e-4],
      ['grad.out.weight', await m.wout.grad!.read(), 2e-4],
      ['grad.out.bias', await m.bout.grad!.read(), 2e-4],
    ];
    for (const [name, got, tol] of checks) {
      expect(relError(got, expected(name)), name).toBeLessThan(tol);
    }
    m.dispose();
  });

  it('traces one unit per byte, matching the final state at the last byte', async () => {
    const trace = await model.unitTrace(inputs[1], 5);
    expect(trace.length).toBe(inputs[1].length);
    expect(trace.at(-1)!).toBeCloseTo(expected('c_final')[H + 5], 4);
    const hTrace = await model.unitTrace(inputs[1], 7, { state: 'h' });
    expect(hTrace.at(-1)!).toBeCloseTo(expected('h_final')[H + 7], 4);
    await expect(model.unitTrace(inputs[1], H)).rejects.toThrow(
      /unit out of range \(expected 0\.\.31, got 32\)/,
    );
  });

  it('generates greedily the bytes that the logits of the grown text predict', async () => {
    const prefix = inputs[0];
    const streamed: number[] = [];
    const bytes = await model.generate(prefix, {
      steps: 4,
      temperature: 0,
      onByte: (b) => streamed.push(b),
    });
    expect(Array.from(bytes)).toEqual(streamed);
    // each greedy byte is the argmax of the full-text logits after the grown text
    let text = prefix;
    for (const b of bytes) {
      const logits = model.logits(text);
      const last = (await logits.read()).subarray((text.length - 1) * 256);
      logits.dispose();
      expect(b).toBe(sampleByte(last, 0, 0));
      text = Uint8Array.from([...text, b]);
    }
  });

  it('samples reproducibly with a seed, and a clamped unit changes what is generated', async () => {
    const a = await model.generate(inputs[0], { steps: 6, temperature: 1, seed: 7 });
    const b = await model.generate(inputs[0], { steps: 6, temperature: 1, seed: 7 });
    expect(Array.from(a)).toEqual(Array.from(b));
    const plain = await model.generate(inputs[0], { steps: 8, temperature: 0 });
    const clamped = await model.generate(inputs[0], {
      steps: 8,
      temperature: 0,
      clampUnit: { index: 3, value: 25, state: 'h' },
    });
    expect(Array.from(clamped)).not.toEqual(Array.from(plain));
  });

  it('frees every intermediate buffer of inference', async () => {
    const before = gpu!.stats().liveBuffers;
    const f = model.featurize(inputs, { pool: 'mean' });
    const logits = model.logits(inputs[1]);
    await model.unitTrace(inputs[2], 1);
    await model.generate(inputs[0], { steps: 2, clampUnit: { index: 0, value: 1 } });
    f.dispose();
    logits.dispose();
    expect(gpu!.stats().liveBuffers).toBe(before);
  });

  it('refuses empty texts and bad options with clear messages', () => {
    expect(() => model.featurize([inputs[0], new Uint8Array(0)])).toThrow(
      /featurize: text 1 is empty \(expected at least one byte\)/,
    );
    expect(() => model.featurize([])).toThrow(/no texts/);
    expect(() => model.featurize(inputs, { pool: 'max' as 'mean' })).toThrow(/pool/);
    expect(() => model.nextByteLoss([Uint8Array.of(1)])).toThrow(/no text has two bytes/);
  });
});

describe('sampleByte', () => {
  it('picks the argmax at temperature 0 and follows the softmax otherwise', () => {
    expect(sampleByte([0, 3, 1], 0, 0.99)).toBe(1);
    // probabilities 1/3 each at equal logits: u = 0.5 lands in the middle class
    expect(sampleByte([2, 2, 2], 1, 0.5)).toBe(1);
    expect(sampleByte([2, 2, 2], 1, 0.1)).toBe(0);
  });
});
