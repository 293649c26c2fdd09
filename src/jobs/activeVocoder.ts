// Which WaveGlow the page's vocoder uses: the default model, or one the user
// fine-tuned and kept. A kept model is held as its files (config + safetensors
// bytes, so it can be saved and exported) and loaded onto the current Gpu on
// first use, again after a lost device. requireVocoder() asks here first.
import { ok, type Result } from '../engine/assert';
import type { Gpu } from '../engine/gpu';
import { WaveGlow } from '../models/waveglow/waveglow';

/** A fine-tuned WaveGlow as files, with what the user should read about it. */
export interface KeptVocoder {
  /** e.g. 'fine-tuned on LJ001-0001.wav, 12 steps' */
  label: string;
  /** config.json text */
  configText: string;
  /** weights.safetensors bytes (F32) */
  weights: Uint8Array;
}

let kept: KeptVocoder | null = null;
let loaded: { gpu: Gpu; model: WaveGlow } | null = null;
const listeners = new Set<(kept: KeptVocoder | null) => void>();

function unload(): void {
  try {
    loaded?.model.dispose();
  } catch {
    // a lost device already took its buffers
  }
  loaded = null;
}

/**
 * Makes `next` the page's vocoder (null: back to the default model) and
 * frees the previous kept model's GPU memory. `onGpu` is `next` already on
 * a Gpu, to skip a second upload; this module owns it from now on.
 */
export function setActiveVocoder(
  next: KeptVocoder | null,
  onGpu?: { gpu: Gpu; model: WaveGlow },
): void {
  unload();
  kept = next;
  loaded = next && onGpu ? onGpu : null;
  for (const listener of listeners) listener(kept);
}

/** The kept fine-tuned model, or null when the default model is active. */
export function activeVocoder(): KeptVocoder | null {
  return kept;
}

/** Calls `listener` when the active vocoder changes; returns the unsubscribe. */
export function subscribeActiveVocoder(listener: (kept: KeptVocoder | null) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * The kept model on `gpu` (loaded on first use), a message when its files do
 * not load, or null when the default model is active.
 */
export function activeVocoderOn(gpu: Gpu): Result<WaveGlow> | null {
  if (!kept) return null;
  if (loaded?.gpu === gpu) return ok(loaded.model);
  unload();
  const model = WaveGlow.load(gpu, kept.configText, kept.weights);
  if (!model.ok) {
    return { ok: false, error: `The fine-tuned WaveGlow (${kept.label}): ${model.error}` };
  }
  loaded = { gpu, model: model.value };
  return model;
}
