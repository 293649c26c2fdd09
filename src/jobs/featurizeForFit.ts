// The first part of every fit job of the Sentiment panel: the labelled texts through the
// active mLSTM, with bytes and speed on the job's progress line.
import type { JobContext } from './jobRunner';
import type { MlstmRunner } from './mlstmInference';

/** Features [N, H] of `texts`; progress runs from 0 to `share` of the job. */
export function featurizeForFit(
  model: MlstmRunner,
  texts: readonly Uint8Array[],
  maxBytes: number,
  ctx: JobContext,
  share: number,
): Promise<Float32Array> {
  const start = performance.now();
  return model.featurize(texts, {
    maxBytes,
    batchSize: 16,
    signal: ctx.signal,
    onProgress: (done, total) => {
      const rate = done / Math.max((performance.now() - start) / 1000, 1e-3);
      ctx.progress(
        (share * done) / total,
        `featurize ${done}/${total} bytes, ${rate.toFixed(0)} B/s`,
      );
    },
  });
}
