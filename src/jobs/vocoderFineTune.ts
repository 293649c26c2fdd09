// Fine-tuning the page's vocoder on recordings, as a job: the loop over
// steps with a progress report and a cancel check between steps, the held-out
// NLL before and after, and turning a finished run into a kept vocoder.
// No state: the store (state/vocoderFineTuneStore.ts) owns what comes back.
import { WaveGlowFineTuner, type FineTuneStep } from '../models/waveglow/finetune';
import type { FineTuneCorpus } from '../models/waveglow/finetuneCorpus';
import type { FineTuneSettings } from '../models/waveglow/finetuneData';
import { WaveGlow } from '../models/waveglow/waveglow';
import type { KeptVocoder } from './activeVocoder';
import type { JobContext } from './jobRunner';
import { requireVocoder } from './vocoder';

export interface FineTuneRun {
  tuner: WaveGlowFineTuner;
  /** held-out NLL per sample of the model the run started from (nats) */
  heldOutBefore: number;
  /** the same audio under the fine-tuned copy */
  heldOutAfter: number;
}

export interface FineTuneCallbacks {
  onHeldOutBefore?(nll: number): void;
  onStep?(step: FineTuneStep): void;
}

/** The job's progress line after a step: where it is, its loss and learning rate. */
export function stepProgressText(step: FineTuneStep, steps: number): string {
  const lr = step.lr.toExponential(1);
  return `step ${step.step} of ${steps}, NLL ${step.loss.toFixed(3)}, lr ${lr}`;
}

/**
 * Trains a copy of the active vocoder on `corpus`. Cancelling (ctx.signal)
 * stops between steps; then, and on any failure, the copy is freed and the
 * active vocoder is untouched.
 * @throws the settings' or recording's message, a non-finite loss, or the cancel reason
 */
export async function runVocoderFineTune(
  ctx: JobContext,
  corpus: FineTuneCorpus,
  settings: FineTuneSettings,
  callbacks: FineTuneCallbacks = {},
): Promise<FineTuneRun> {
  ctx.progress(0, 'loading the model');
  const base = await requireVocoder();
  ctx.signal.throwIfAborted();
  ctx.progress(0, 'copying the weights');
  const made = await WaveGlowFineTuner.create(base, corpus, settings);
  if (!made.ok) throw new Error(made.error);
  const tuner = made.value;
  try {
    ctx.signal.throwIfAborted();
    ctx.progress(0, 'held-out NLL before');
    const heldOutBefore = await tuner.heldOutNll();
    callbacks.onHeldOutBefore?.(heldOutBefore);
    for (let i = 0; i < settings.steps; i++) {
      ctx.signal.throwIfAborted();
      const step = await tuner.step();
      callbacks.onStep?.(step);
      ctx.progress(step.step / (settings.steps + 1), stepProgressText(step, settings.steps));
    }
    ctx.signal.throwIfAborted();
    ctx.progress(settings.steps / (settings.steps + 1), 'held-out NLL after');
    const heldOutAfter = await tuner.heldOutNll();
    return { tuner, heldOutBefore, heldOutAfter };
  } catch (err) {
    tuner.dispose();
    throw err;
  }
}

/**
 * The run's weights as files plus an inference copy on the same Gpu (no
 * gradients), ready for setActiveVocoder. Frees the trainable copy once that loaded.
 */
export async function keptFromRun(
  run: FineTuneRun,
  label: string,
): Promise<{ kept: KeptVocoder; model: WaveGlow }> {
  const { tuner } = run;
  const weights = await tuner.toSafetensors({ label, steps: String(tuner.stepsDone) });
  const configText = JSON.stringify(tuner.model.config, null, 2);
  const model = WaveGlow.load(tuner.model.gpu, configText, weights);
  if (!model.ok) throw new Error(`Keeping the fine-tuned WaveGlow failed: ${model.error}`);
  tuner.dispose();
  return { kept: { label, configText, weights }, model: model.value };
}
