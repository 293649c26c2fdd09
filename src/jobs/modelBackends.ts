// Which backend runs each model's inference, decided once per device from a
// short timing of both (see engine/ort/backendChoice.ts), overridable by the
// user. Plain module with its own subscribe: stores mirror it.
import { chooseBackend, type BackendChoice, type BackendKind } from '../engine/ort/backendChoice';
import type { BackendStatus } from './gpuHost';

/** every model whose backend is chosen per device */
export const MODEL_NAMES = ['log-mel', 'mlstm', 'waveglow'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface ModelBackendEntry {
  model: ModelName;
  /** null until the first use measured it */
  choice: BackendChoice | null;
  /** what the user picked; null = automatic */
  override: BackendKind | null;
}

export interface BackendProbe {
  /** null when WebGPU works, else why not (then only wasm runs) */
  webgpuUnavailable: string | null;
  /** one run per backend on a short input; resolves its duration in ms */
  probe: Partial<Record<BackendKind, () => Promise<number>>>;
}

const entries = new Map<ModelName, ModelBackendEntry>(
  MODEL_NAMES.map((model) => [model, { model, choice: null, override: null }]),
);
const decisions = new Map<ModelName, Promise<BackendChoice>>();
const listeners = new Set<(entries: ModelBackendEntry[]) => void>();
let gate: Promise<unknown> = Promise.resolve();

/** Holds every decision until `ready` settles (saved overrides being loaded). */
export function deferDecisionsUntil(ready: Promise<unknown>): void {
  gate = ready.catch(() => undefined);
}

function emit(): void {
  const list = getModelBackends();
  for (const listener of listeners) listener(list);
}

export function getModelBackends(): ModelBackendEntry[] {
  return [...entries.values()];
}

/** Calls `listener` whenever a choice or override changes; returns the unsubscribe. */
export function subscribeModelBackends(
  listener: (entries: ModelBackendEntry[]) => void,
): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function entry(model: ModelName): ModelBackendEntry {
  let e = entries.get(model);
  if (!e) {
    e = { model, choice: null, override: null };
    entries.set(model, e);
  }
  return e;
}

/** Sets or clears (null) the user's choice for `model`; the next use decides anew. */
export function setBackendOverride(model: ModelName, kind: BackendKind | null): void {
  entries.set(model, { ...entry(model), override: kind, choice: null });
  decisions.delete(model);
  emit();
}

/** Forgets measured choices (after a lost device the adapter may differ). */
export function resetBackendChoices(): void {
  decisions.clear();
  for (const [model, e] of entries) entries.set(model, { ...e, choice: null });
  emit();
}

/** What the header says when a WebGPU override meets a page without WebGPU. */
export const WEBGPU_FALLBACK_NOTE = 'WebGPU unavailable here, using wasm';

/**
 * Why WebGPU cannot be chosen now (no adapter, or the device is lost and
 * reconnecting), or null when it can; from gpuHost's status.
 */
export function webgpuBlockedReason(status: Pick<BackendStatus, 'state' | 'message'>) {
  if (status.state === 'unavailable') return status.message ?? 'WebGPU is not available';
  if (status.state === 'lost') return status.message ?? 'the GPU device was lost';
  return null;
}

/** A WebGPU override that could not be honoured says so, instead of passing for automatic. */
function fallbackNoted(
  choice: BackendChoice,
  override: BackendKind | null,
  webgpuUnavailable: string | null,
): BackendChoice {
  if (override !== 'webgpu' || !webgpuUnavailable || choice.kind !== 'wasm') return choice;
  return {
    ...choice,
    reason: `onnxruntime-web (wasm): ${WEBGPU_FALLBACK_NOTE} (${webgpuUnavailable})`,
  };
}

/** The backend for `model`: measured on first use (or taken from the override). */
export async function backendFor(
  model: ModelName,
  probe: () => BackendProbe,
): Promise<BackendChoice> {
  await gate;
  let decision = decisions.get(model);
  if (!decision) {
    const { override } = entry(model);
    const p = probe();
    const chosen = chooseBackend({
      webgpuUnavailable: p.webgpuUnavailable,
      override,
      probe: p.probe,
    });
    decision = chosen.then((choice) => fallbackNoted(choice, override, p.webgpuUnavailable));
    decisions.set(model, decision);
    void decision.then(
      (choice) => {
        if (decisions.get(model) !== decision) return;
        entries.set(model, { ...entry(model), choice });
        emit();
      },
      () => decisions.delete(model),
    );
  }
  return decision;
}
