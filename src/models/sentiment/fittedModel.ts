// Which mLSTM a classifier's features came from. A fit is only good for the
// model whose features it saw: after Keep or Revert of a fine-tuned LM, a
// classifier fitted on the other model reads features it was never shown.

/** the model shipped with the page (public/models/mlstm/) */
export const PRETRAINED_MLSTM_ID = 'pretrained';

/** The id of a kept fine-tuned model: its Keep time is unique and travels with the saved model. */
export function fineTunedMlstmId(keptAt: string): string {
  return `fine-tuned ${keptAt}`;
}

/** "the pretrained model" or "the fine-tuned model (kept <time>)", for messages. */
export function describeMlstm(id: string): string {
  if (id === PRETRAINED_MLSTM_ID) return 'the pretrained model';
  const kept = id
    .replace(/^fine-tuned /, '')
    .replace('T', ' ')
    .replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return `the fine-tuned model (kept ${kept})`;
}

/**
 * Why a fit cannot be used with the active model, or null when it can.
 * A fit saved before fits recorded their model (`fitModel` undefined) is taken as current.
 */
export function staleFitReason(fitModel: string | undefined, activeModel: string): string | null {
  if (fitModel === undefined || fitModel === activeModel) return null;
  return `fitted on ${describeMlstm(fitModel)}, but ${describeMlstm(activeModel)} is in use`;
}
