// Parity of the mLSTM's ONNX twin (onnxruntime-web wasm, graphs built in TS)
// with PyTorch (goldens/) and with the WGSL model on the page's default weights.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { testGpu } from '../../engine/testing';
import { parseSafetensors, type NamedArray } from '../../io/safetensors';
import { parseMlstmConfig } from './config';
import { MlstmModel } from './mlstm';
import { MlstmWasm } from './mlstmOnnx';
import { parseMlstmWeights, type MlstmWeightName } from './weights';
import texts from './goldens/texts.json';

const gpu = await testGpu();

function load(dir: URL) {
  const configJson = readFileSync(new URL('config.json', dir), 'utf8');
  const weightBytes = new Uint8Array(readFileSync(new URL('weights.safetensors', dir)));
  const config = parseMlstmConfig(configJson);
  if (!config.ok) throw new Error(config.error);
  const weights = parseMlstmWeights(weightBytes, config.value);
  if (!weights.ok) throw new Error(weights.error);
  return { configJson, weightBytes, config: config.value, weights: weights.value };
}

/** max |a - b| / max |b|, the relative error asked to stay under 1e-4 */
function relError(actual: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(actual.length).toBe(want.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return err / scale;
}

const golden = load(new URL('./goldens/', import.meta.url));
const expectedFile = parseSafetensors(
  new Uint8Array(readFileSync(new URL('./goldens/expected.safetensors', import.meta.url))),
);
if (!expectedFile.ok) throw new Error(expectedFile.error);
const expected = (name: string): Float32Array => {
  const t = expectedFile.value.tensors.get(name);
  if (!t) throw new Error(`golden ${name} missing`);
  return t.data;
};
const inputs = texts.texts.map((t) => Uint8Array.from(t));
const H = 32;

describe('MlstmWasm against PyTorch (goldens)', () => {
  let model: MlstmWasm;
  afterAll(() => model?.release());

  it('gives the final cell states and mean h of a batch of different lengths', async () => {
    model = await MlstmWasm.create(golden.config, golden.weights);
    const c = await model.featurize(inputs);
    expect(c.length).toBe(inputs.length * H);
    expect(relError(c, expected('c_final'))).toBeLessThan(1e-4);
    const mean = await model.featurize(inputs, { pool: 'mean' });
    expect(relError(mean, expected('h_mean'))).toBeLessThan(1e-4);
  });

  it('gives the next-byte logits of each text', async () => {
    for (let k = 0; k < inputs.length; k++) {
      const logits = await model.logits(inputs[k]);
      expect(relError(logits, expected(`logits.${k}`)), `text ${k}`).toBeLessThan(1e-4);
    }
  });

  it('traces one unit of c or h per byte, ending at the final state', async () => {
    const { trace } = await model.read(inputs[1], 5);
    expect(trace.length).toBe(inputs[1].length);
    expect(trace.at(-1)!).toBeCloseTo(expected('c_final')[H + 5], 5);
    const h = await model.read(inputs[1], 7, { state: 'h' });
    expect(h.trace.at(-1)!).toBeCloseTo(expected('h_final')[H + 7], 5);
  });

  it('refuses empty texts and bad units with clear messages', async () => {
    await expect(model.featurize([inputs[0], new Uint8Array(0)])).rejects.toThrow(
      /featurize: text 1 is empty \(expected at least one byte\)/,
    );
    await expect(model.featurize([])).rejects.toThrow(/no texts/);
    await expect(model.read(inputs[1], H)).rejects.toThrow(/unit out of range/);
    await expect(model.generate(inputs[0], { steps: -1 })).rejects.toThrow(/steps/);
  });
});

describe.skipIf(!gpu)('MlstmWasm against the WGSL model (default weights, H = 512)', () => {
  const page = load(new URL('../../../public/models/mlstm/', import.meta.url));
  const loaded = MlstmModel.load(gpu!, page.configJson, page.weightBytes);
  if (!loaded.ok) throw new Error(loaded.error);
  const gpuModel = loaded.value;
  let model: MlstmWasm;
  afterAll(async () => {
    gpuModel.dispose();
    gpu?.flush();
    await model?.release();
  });
  const sst = readFileSync(new URL('../../../../shared/data/sst/val.csv', import.meta.url), 'utf8')
    .split('\n')
    .slice(1, 4)
    .map((line) => new TextEncoder().encode(line.slice(2, 70)));

  it('reads the weights of a model on the GPU back as they were loaded', async () => {
    const back = await gpuModel.readWeights();
    for (const [name, t] of Object.entries(page.weights) as Array<[MlstmWeightName, NamedArray]>) {
      expect(back[name].shape, name).toEqual(t.shape);
      expect(back[name].data, name).toEqual(t.data);
    }
  });

  it('gives the same features of real sentences within 1e-4 relative', async () => {
    model = await MlstmWasm.create(page.config, page.weights);
    for (const pool of ['final', 'mean'] as const) {
      const want = gpuModel.featurize(sst, { pool });
      const wantValues = await want.read();
      want.dispose();
      expect(relError(await model.featurize(sst, { pool }), wantValues), pool).toBeLessThan(1e-4);
    }
  });

  it('gives the same logits and unit trace of one sentence', async () => {
    const want = gpuModel.logits(sst[0]);
    const wantLogits = await want.read();
    want.dispose();
    expect(relError(await model.logits(sst[0]), wantLogits)).toBeLessThan(1e-4);
    const wantTrace = await gpuModel.unitTrace(sst[0], 288);
    expect(relError((await model.read(sst[0], 288)).trace, wantTrace)).toBeLessThan(1e-4);
  });

  it('generates the same bytes greedily and with a seed, with and without a clamp', async () => {
    const clampUnit = { index: 288, value: 2, state: 'c' as const };
    for (const opts of [
      { steps: 12, temperature: 0 },
      { steps: 12, temperature: 0, clampUnit },
      { steps: 12, temperature: 1, seed: 3, clampUnit },
    ]) {
      const streamed: number[] = [];
      const got = await model.generate(sst[1], { ...opts, onByte: (b) => streamed.push(b) });
      expect(Array.from(got)).toEqual(streamed);
      expect(Array.from(got)).toEqual(Array.from(await gpuModel.generate(sst[1], opts)));
    }
  });
});
