// Mirrors jobs/modelBackends (which backend runs each model, and why) for
// React, and keeps the user's overrides in saved work so they survive a reload.
import { create } from 'zustand';
import type { BackendKind } from '../engine/ort/backendChoice';
import {
  getModelBackends,
  MODEL_NAMES,
  setBackendOverride,
  subscribeModelBackends,
  webgpuBlockedReason,
  type ModelBackendEntry,
  type ModelName,
} from '../jobs/modelBackends';
import { useBackendStore } from './backendStore';
import { loadWork, registerWorkCheck, saveWork, subscribeWork } from './persist';

export const BACKEND_OVERRIDES_KEY = 'settings.backendOverrides';
registerWorkCheck(BACKEND_OVERRIDES_KEY, (v) => {
  if (!v || typeof v !== 'object') return 'is not a set of backend choices';
  for (const [model, kind] of Object.entries(v)) {
    if (!(MODEL_NAMES as readonly string[]).includes(model))
      return `names an unknown model '${model}'`;
    if (kind !== 'webgpu' && kind !== 'wasm')
      return `has '${String(kind)}' for ${model} (expected 'webgpu' or 'wasm')`;
  }
  return null;
});

type Overrides = Partial<Record<ModelName, BackendKind>>;

interface ModelBackendState {
  entries: ModelBackendEntry[];
  /** sets (or with null clears) the backend of `model`, and saves the choice */
  chooseBackend(model: ModelName, kind: BackendKind | null): void;
}

export const useModelBackendStore = create<ModelBackendState>()(() => ({
  entries: getModelBackends(),
  chooseBackend(model, kind) {
    setBackendOverride(model, kind);
    const overrides: Overrides = {};
    for (const e of getModelBackends()) if (e.override) overrides[e.model] = e.override;
    void saveWork(BACKEND_OVERRIDES_KEY, overrides);
  },
}));

subscribeModelBackends((entries) => useModelBackendStore.setState({ entries }));

/** Why WebGPU cannot be picked right now (no adapter, device lost), or null. */
export function useWebgpuBlockedReason(): string | null {
  return useBackendStore((s) => webgpuBlockedReason(s));
}

/** Applies saved overrides (clearing the rest); call at start, before models run. */
export async function restoreBackendOverrides(): Promise<void> {
  const saved = (await loadWork<Overrides>(BACKEND_OVERRIDES_KEY)) ?? {};
  for (const model of MODEL_NAMES) {
    const kind = saved[model];
    const wanted = kind === 'webgpu' || kind === 'wasm' ? kind : null;
    const current = getModelBackends().find((e) => e.model === model)?.override ?? null;
    if (wanted !== current) setBackendOverride(model, wanted);
  }
}

// an imported project brings its own choices (or none)
subscribeWork((event) => {
  if (event.type === 'imported') void restoreBackendOverrides();
});
