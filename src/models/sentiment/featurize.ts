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

/** Features [rows, H] of one batch of texts, in the batch's order. */
export type BatchFeaturizer = (texts: Uint8Array[], pool: Pool) => Promise<Float32Array>;

/**
 * Features of `texts` from any backend's batch featurizer: sorted by length,
 * batched, cut to maxBytes, progress and cancellation between batches.
 * @returns features [N, hidden] row-major, in the order of `texts`
 * @throws when a text is empty or the signal aborts
 */
export async function featurizeInBatches(
  hidden: number,
  featurizeBatch: BatchFeaturizer,
  texts: readonly Uint8Array[],
  opts: FeaturizeOptions = {},
): Promise<Float32Array> {
  const h = hidden;
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
    const values = await featurizeBatch(
      ids.map((i) => cut[i]),
      opts.pool ?? 'final',
    );
    ids.forEach((i, r) => out.set(values.subarray(r * h, (r + 1) * h), i * h));
    done += ids.reduce((a, i) => a + cut[i].length, 0);
    opts.onProgress?.(done, total);
  }
  return out;
}

/**
 * Features of `texts` with the WGSL model, read back batch by batch.
 * @returns features [N, H] row-major, in the order of `texts`
 * @throws when a text is empty or the signal aborts
 */
export function featurizeTexts(
  model: MlstmModel,
  texts: readonly Uint8Array[],
  opts: FeaturizeOptions = {},
): Promise<Float32Array> {
  const batch: BatchFeaturizer = async (part, pool) => {
    const f = model.featurize(part, { pool });
    try {
      return await f.read();
    } finally {
      f.dispose();
    }
  };
  return featurizeInBatches(model.hidden, batch, texts, opts);
}
