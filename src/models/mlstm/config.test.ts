import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../io/safetensors';
import { parseMlstmConfig } from './config';
import { mlstmWeightShapes, parseMlstmWeights } from './weights';

const config = { vocab: 256, embedDim: 4, hidden: 3 };

function weightsFile(overrides: Record<string, number[] | null> = {}, extra: string[] = []) {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, shape] of Object.entries(mlstmWeightShapes(config))) {
    const s = name in overrides ? overrides[name] : shape;
    if (!s) continue;
    tensors[name] = { shape: s, data: new Float32Array(s.reduce((a, b) => a * b, 1)) };
  }
  for (const name of extra) tensors[name] = { shape: [1], data: new Float32Array(1) };
  return writeSafetensors(tensors);
}

describe('parseMlstmConfig', () => {
  it('reads the config that training/mlstm/export.py writes', () => {
    const r = parseMlstmConfig(
      '{"type": "mlstm", "vocab": 256, "embed_dim": 16, "hidden": 32, "weight_norm": false}',
    );
    expect(r).toEqual({ ok: true, value: { vocab: 256, embedDim: 16, hidden: 32 } });
  });

  it('explains what is wrong', () => {
    const err = (s: unknown) => {
      const r = parseMlstmConfig(s);
      return r.ok ? '' : r.error;
    };
    expect(err('{')).toMatch(/not valid JSON/);
    expect(err('[]')).toMatch(/expected a JSON object/);
    expect(err({ type: 'lstm', embed_dim: 1, hidden: 1 })).toMatch(/type \(expected "mlstm"/);
    expect(err({ vocab: 128, embed_dim: 1, hidden: 1 })).toMatch(/vocab \(expected 256/);
    expect(err({ embed_dim: 1, hidden: 0 })).toMatch(
      /hidden \(expected a positive integer, got 0\)/,
    );
    expect(err({ embed_dim: 1.5, hidden: 2 })).toMatch(/embed_dim/);
    expect(err({ embed_dim: 1, hidden: 2, weight_norm: true })).toMatch(/folded weights/);
  });
});

describe('parseMlstmWeights', () => {
  it('accepts every expected tensor at its shape', () => {
    const r = parseMlstmWeights(weightsFile(), config);
    expect(r.ok && r.value['wm.weight'].shape).toEqual([12, 3]);
  });

  it('names the missing, misshapen or unexpected tensor', () => {
    const err = (bytes: Uint8Array) => {
      const r = parseMlstmWeights(bytes, config);
      return r.ok ? '' : r.error;
    };
    expect(err(weightsFile({ 'wmh.weight': null }))).toMatch(
      /missing wmh.weight \(expected shape \[3, 3\]\)/,
    );
    expect(err(weightsFile({ 'wm.weight': [3, 12] }))).toMatch(
      /wm.weight shape \(expected \[12, 3\], got \[3, 12\]\)/,
    );
    expect(err(weightsFile({}, ['wm.weight_g']))).toMatch(
      /unexpected tensor wm.weight_g; weight norm/,
    );
    expect(err(new Uint8Array(3))).toMatch(/mlstm weights: safetensors: file too short/);
  });
});
