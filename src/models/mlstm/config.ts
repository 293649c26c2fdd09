// config.json of an exported byte mLSTM (training/mlstm/export.py writes it).
import { fail, ok, type Result } from '../../engine/assert';

export interface MlstmConfig {
  /** 256: one class per byte */
  vocab: number;
  /** D, byte embedding width */
  embedDim: number;
  /** H, hidden units of the mLSTM layer */
  hidden: number;
}

function positiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Parses and validates config.json (text or parsed JSON); every problem gets its own message. */
export function parseMlstmConfig(source: string | unknown): Result<MlstmConfig> {
  let json: unknown = source;
  if (typeof source === 'string') {
    try {
      json = JSON.parse(source);
    } catch {
      return fail('mlstm config: not valid JSON');
    }
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    return fail('mlstm config: expected a JSON object');
  }
  const c = json as Record<string, unknown>;
  if (c.type !== undefined && c.type !== 'mlstm') {
    return fail(`mlstm config: type (expected "mlstm", got ${JSON.stringify(c.type)})`);
  }
  const vocab = c.vocab ?? 256;
  if (vocab !== 256) {
    return fail(
      `mlstm config: vocab (expected 256 for a byte model, got ${JSON.stringify(vocab)})`,
    );
  }
  for (const key of ['embed_dim', 'hidden'] as const) {
    if (!positiveInt(c[key])) {
      return fail(
        `mlstm config: ${key} (expected a positive integer, got ${JSON.stringify(c[key])})`,
      );
    }
  }
  if (c.weight_norm === true) {
    return fail(
      'mlstm config: weight_norm is true (expected folded weights; export with training/mlstm/export.py)',
    );
  }
  return ok({ vocab: 256, embedDim: c.embed_dim as number, hidden: c.hidden as number });
}
