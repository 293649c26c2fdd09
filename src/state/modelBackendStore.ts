// Mirrors jobs/modelBackends (which backend runs each model, and why) for
// React, and keeps the user's overrides in saved work so they survive a reload.
import { create } from 'zustand';
import type { BackendKind } from '../engine/ort/backendChoice';
import {
  getModelBackends,
  setBackendOverride,
  subscribeModelBackends,
  type ModelBackendEntry,
  type ModelName,
} from '../jobs/modelBackends';
import { loadWork, saveWork } from './persist';

export const BACKEND_OVERRIDES_KEY = 'settings.backendOverrides';

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

/** Applies saved overrides; call once at start, before models run. */
export async function restoreBackendOverrides(): Promise<void> {
  const saved = await loadWork<Overrides>(BACKEND_OVERRIDES_KEY);
  for (const [model, kind] of Object.entries(saved ?? {})) {
    if (kind === 'webgpu' || kind === 'wasm') setBackendOverride(model as ModelName, kind);
  }
}
