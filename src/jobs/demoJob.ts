// A timer-driven job for end-to-end tests of the jobs area (progress, cancel,
// failure). Exposed only through window.__semilab; not a user feature.
import { startJob, type JobHandle } from './jobRunner';

export interface TestJobOptions {
  /** number of progress steps (default 50) */
  steps?: number;
  /** ms per step (default 100) */
  stepMs?: number;
  /** fail with this message after half the steps */
  failWith?: string;
}

/** Counts through `steps` timer ticks, reporting progress; honours cancel. */
export function startTestJob(options: TestJobOptions = {}): JobHandle<number> {
  const steps = options.steps ?? 50;
  const stepMs = options.stepMs ?? 100;
  return startJob('Test job (debug hook)', async ({ signal, progress }) => {
    for (let step = 1; step <= steps; step++) {
      await sleep(stepMs, signal);
      if (options.failWith && step >= steps / 2) throw new Error(options.failWith);
      progress(step / steps, `step ${step} of ${steps}`);
    }
    return steps;
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
