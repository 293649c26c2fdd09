// The denoise control's one-line status. NOTE: a new recording clears the
// synthesis (and with it the denoised audio) but keeps the model's bias, so
// "ready, strength > 0, nothing denoised" alone does not mean an apply is
// pending: without a result there is nothing to apply to.
import type { BiasPhase, DenoisedAudio } from '../../state/denoiseStore';

export interface DenoiseStatusInput {
  biasPhase: BiasPhase;
  biasError: string | null;
  strength: number;
  denoised: DenoisedAudio | null;
  /** the current synthesis's samples, or null when there is none */
  resultSamples: Float32Array | null;
}

export function denoiseStatus(d: DenoiseStatusInput): string {
  if (d.biasPhase === 'running') return 'computing the model’s bias…';
  if (d.biasPhase === 'failed') return `bias unavailable: ${d.biasError ?? 'unknown error'}`;
  if (d.resultSamples === null || d.biasPhase === 'idle') return 'applies after a synthesis';
  if (d.strength === 0) return 'off';
  // denoised audio of an older result (or strength) is waiting for the recompute
  const current =
    d.denoised !== null &&
    d.denoised.source === d.resultSamples &&
    d.denoised.strength === d.strength;
  if (current) return 'applied to the synthesis';
  // the recompute failed (denoiseStore keeps its message with a ready bias)
  return d.biasError ? `denoising failed: ${d.biasError}` : 'applying…';
}
