// weights.safetensors of an exported byte mLSTM: names and shapes follow the
// PyTorch twin (training/mlstm/model.py, weight norm folded).
import { fail, ok, type Result } from '../../engine/assert';
import { parseSafetensors, type NamedArray } from '../../io/safetensors';
import type { MlstmConfig } from './config';

export type MlstmWeightName =
  | 'embed.weight'
  | 'wmx.weight'
  | 'wmh.weight'
  | 'wx.weight'
  | 'wx.bias'
  | 'wm.weight'
  | 'out.weight'
  | 'out.bias';

export type MlstmWeightArrays = Record<MlstmWeightName, NamedArray>;

/** The expected tensors and their shapes for `config`. */
export function mlstmWeightShapes(config: MlstmConfig): Record<MlstmWeightName, number[]> {
  const { vocab: v, embedDim: d, hidden: h } = config;
  return {
    'embed.weight': [v, d],
    'wmx.weight': [h, d],
    'wmh.weight': [h, h],
    'wx.weight': [4 * h, d],
    'wx.bias': [4 * h],
    'wm.weight': [4 * h, h],
    'out.weight': [v, h],
    'out.bias': [v],
  };
}

/** Parses weights.safetensors and checks every name and shape against `config`. */
export function parseMlstmWeights(
  bytes: ArrayBuffer | Uint8Array,
  config: MlstmConfig,
): Result<MlstmWeightArrays> {
  const file = parseSafetensors(bytes);
  if (!file.ok) return fail(`mlstm weights: ${file.error}`);
  const shapes = mlstmWeightShapes(config);
  const out: Partial<MlstmWeightArrays> = {};
  for (const [name, shape] of Object.entries(shapes) as Array<[MlstmWeightName, number[]]>) {
    const t = file.value.tensors.get(name);
    if (!t) return fail(`mlstm weights: missing ${name} (expected shape [${shape.join(', ')}])`);
    if (t.shape.join(',') !== shape.join(',')) {
      return fail(
        `mlstm weights: ${name} shape (expected [${shape.join(', ')}], got [${t.shape.join(', ')}])`,
      );
    }
    out[name] = t;
  }
  for (const name of file.value.tensors.keys()) {
    if (name in shapes) continue;
    const hint = /_[gv]$/.test(name)
      ? '; weight norm not folded? export with training/mlstm/export.py'
      : '';
    return fail(`mlstm weights: unexpected tensor ${name}${hint}`);
  }
  return ok(out as MlstmWeightArrays);
}
