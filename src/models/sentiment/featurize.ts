// Features of many texts with the mLSTM: texts sorted by length and batched,
// so a batch pads to a similar length, read back to the CPU batch by batch
// (progress and cancellation between batches).
import type { MlstmModel, Pool } from '../mlstm/mlstm';

export interface FeaturizeOptions {
  pool?: Pool;
  /** texts per batch (default 32) */
  batchSize?: number;
  /** longest text in bytes; longer texts are cut (default no cut) */
  maxBytes?: number;
  signal?: AbortSignal;
  /** bytes done, bytes in all */
  onProgress?: (done: number, total: number) => void;
}

/**
 * @returns features [N, H] row-major, in the order of `texts`
 * @throws when a text is empty or the signal aborts
 */
export async function featurizeTexts(
  model: MlstmModel,
  texts: readonly Uint8Array[],
  opts: FeaturizeOptions = {},
): Promise<Float32Array> {
  const h = model.hidden;
  const batchSize = opts.batchSize ?? 32;
  const cut = texts.map((t) =>
    opts.maxBytes && t.length > opts.maxBytes ? t.subarray(0, opts.maxBytes) : t,
  );
  const order = cut.map((_, i) => i).sort((a, b) => cut[a].length - cut[b].length);
  const total = cut.reduce((a, t) => a + t.length, 0);
  const out = new Float32Array(texts.length * h);
  let done = 0;
  for (let s = 0; s < order.length; s += batchSize) {
    opts.signal?.throwIfAborted();
    const ids = order.slice(s, s + batchSize);
    const f = model.featurize(
      ids.map((i) => cut[i]),
      { pool: opts.pool ?? 'final' },
    );
    let values: Float32Array;
    try {
      values = await f.read();
    } finally {
      f.dispose();
    }
    ids.forEach((i, r) => out.set(values.subarray(r * h, (r + 1) * h), i * h));
    done += ids.reduce((a, i) => a + cut[i].length, 0);
    opts.onProgress?.(done, total);
  }
  return out;
}
