// Holds the page's one Gpu: acquires it, reports its status, and re-acquires
// after a lost device so work continues without a reload. Plain module with
// its own subscribe (no React, no zustand): stores mirror it.
import { acquireGpu } from '../engine/device';
import type { Gpu } from '../engine/gpu';

export interface BackendStatus {
  state: 'pending' | 'ready' | 'unavailable' | 'lost';
  /** adapter name, e.g. 'google swiftshader SwiftShader driver 5.0.0' */
  adapter: string | null;
  /** true on a CPU implementation of WebGPU */
  software: boolean;
  /** what the user should know (why unavailable, that it recovered, ...) */
  message: string | null;
}

let current: Gpu | null = null;
let acquiring: Promise<Gpu | null> | null = null;
let status: BackendStatus = { state: 'pending', adapter: null, software: false, message: null };
const listeners = new Set<(s: BackendStatus) => void>();
let recoveries = 0;

function setStatus(next: BackendStatus): void {
  status = next;
  for (const listener of listeners) listener(status);
}

export function getBackendStatus(): BackendStatus {
  return status;
}

/** Calls `listener` on every status change; returns the unsubscribe. */
export function subscribeBackend(listener: (s: BackendStatus) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function browserGpuApi(): GPU | undefined {
  return typeof navigator !== 'undefined' ? navigator.gpu : undefined;
}

/** Acquires the Gpu once (again after a loss). Resolves null where WebGPU is unavailable. */
export function startGpu(gpuApi: GPU | undefined = browserGpuApi()): Promise<Gpu | null> {
  if (current) return Promise.resolve(current);
  acquiring ??= (async () => {
    const result = await acquireGpu(gpuApi);
    acquiring = null;
    if (!result.ok) {
      setStatus({
        state: 'unavailable',
        adapter: null,
        software: false,
        message: result.error.message,
      });
      return null;
    }
    const gpu = result.value;
    current = gpu;
    gpu.onLost((reason) => {
      if (current !== gpu) return;
      current = null;
      setStatus({ ...status, state: 'lost', message: `GPU device lost (${reason}); reconnecting` });
      recoveries++;
      void startGpu(gpuApi).then((again) => {
        if (again) {
          setStatus({
            ...status,
            message: `Recovered after a lost GPU device (${recoveries} so far); unsaved GPU work was redone or must be rerun.`,
          });
        }
      });
    });
    setStatus({
      state: 'ready',
      adapter: gpu.profile.name,
      software: gpu.profile.isSoftware,
      message: null,
    });
    return gpu;
  })();
  return acquiring;
}

/** The Gpu, acquiring it if needed; throws the user-facing reason when there is none. */
export async function requireGpu(): Promise<Gpu> {
  const gpu = await startGpu();
  if (!gpu) throw new Error(status.message ?? 'WebGPU is not available');
  return gpu;
}

/** Destroys the current device, as a driver reset would (tests and the debug menu). */
export function simulateDeviceLoss(): void {
  current?.device.destroy();
}
