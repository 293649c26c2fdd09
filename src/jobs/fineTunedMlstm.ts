// The page's active fine-tuned mLSTM, when the user kept one: requireMlstm
// (sentimentModel.ts) serves it instead of the pretrained model. Weights are
// held on the CPU and uploaded once per Gpu (a lost device means a fresh upload).
import type { Gpu } from '../engine/gpu';
import type { MlstmConfig } from '../models/mlstm/config';
import { MlstmModel } from '../models/mlstm/mlstm';
import type { MlstmWeightArrays } from '../models/mlstm/weights';
import { PRETRAINED_MLSTM_ID } from '../models/sentiment/fittedModel';

export interface MlstmWeights {
  config: MlstmConfig;
  arrays: MlstmWeightArrays;
  /** fineTunedMlstmId(keptAt): what fits on its features record (sentiment/fittedModel.ts) */
  id: string;
}

/** ms before a replaced model is freed: a reading job may still be using it */
const DISPOSE_DELAY_MS = 60_000;

let active: MlstmWeights | null = null;
let models = new WeakMap<Gpu, MlstmModel>();
const live = new Set<MlstmModel>();

/** Makes `weights` the page's mLSTM (null: back to the pretrained model). */
export function setFineTunedMlstm(weights: MlstmWeights | null): void {
  active = weights;
  models = new WeakMap();
  const old = [...live];
  live.clear();
  if (old.length) setTimeout(() => old.forEach((m) => m.dispose()), DISPOSE_DELAY_MS);
}

export function hasFineTunedMlstm(): boolean {
  return active !== null;
}

/** The id of the page's mLSTM now: the kept fine-tuned model's, or PRETRAINED_MLSTM_ID. */
export function activeMlstmId(): string {
  return active?.id ?? PRETRAINED_MLSTM_ID;
}

/** The fine-tuned model on `gpu`, or null when none is active. */
export function fineTunedMlstmFor(gpu: Gpu): MlstmModel | null {
  if (!active) return null;
  let model = models.get(gpu);
  if (!model) {
    model = MlstmModel.create(gpu, active.config, active.arrays);
    models.set(gpu, model);
    live.add(model);
  }
  return model;
}
