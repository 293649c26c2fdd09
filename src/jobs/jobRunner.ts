// Long work as cancellable jobs with progress. Plain module with its own
// subscribe (no React, no zustand) so models and workers can use it; the
// jobs store mirrors it for the UI.

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

/** A snapshot of one job; replaced (never mutated) on every change. */
export interface JobInfo {
  id: number;
  title: string;
  state: JobState;
  /** 0..1, or null until the job first reports progress */
  progress: number | null;
  /** the latest note passed to `progress` (e.g. 'epoch 3 of 10') */
  note: string | null;
  /** set when state is 'failed' */
  error: string | null;
  /** true once cancel() was called, until the job settles */
  cancelRequested: boolean;
  /** Date.now() values, ms */
  startedAt: number;
  endedAt: number | null;
}

export interface JobContext {
  /** aborted when the user cancels; pass it on to fetches and loops */
  signal: AbortSignal;
  /** reports progress: `fraction` in 0..1 (clamped), optional short note */
  progress(fraction: number, note?: string): void;
}

export interface JobHandle<T> {
  id: number;
  /** resolves with the result; rejects with the error, or a JobCancelledError */
  result: Promise<T>;
  cancel(): void;
}

export class JobCancelledError extends Error {
  constructor(title: string) {
    super(`jobs: '${title}' was cancelled`);
    this.name = 'JobCancelledError';
  }
}

/** Finished jobs kept in the list; older ones drop off first. */
const MAX_FINISHED = 20;

let nextId = 1;
let jobs: readonly JobInfo[] = [];
const controllers = new Map<number, AbortController>();
const listeners = new Set<(jobs: readonly JobInfo[]) => void>();

function emit(): void {
  for (const listener of listeners) listener(jobs);
}

function patch(id: number, change: Partial<JobInfo>): void {
  jobs = jobs.map((job) => (job.id === id ? { ...job, ...change } : job));
  emit();
}

function trimFinished(): void {
  const finished = jobs.filter((job) => job.state !== 'running');
  if (finished.length <= MAX_FINISHED) return;
  const drop = new Set(finished.slice(0, finished.length - MAX_FINISHED).map((job) => job.id));
  jobs = jobs.filter((job) => !drop.has(job.id));
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/**
 * Starts `run` as a job. The job is 'running' until `run` settles, then
 * 'done', 'failed' (its error message kept) or, if cancel() was called
 * before it settled, 'cancelled' whatever `run` returned.
 */
export function startJob<T>(title: string, run: (ctx: JobContext) => Promise<T>): JobHandle<T> {
  const id = nextId++;
  const controller = new AbortController();
  controllers.set(id, controller);
  jobs = [
    ...jobs,
    {
      id,
      title,
      state: 'running',
      progress: null,
      note: null,
      error: null,
      cancelRequested: false,
      startedAt: Date.now(),
      endedAt: null,
    },
  ];
  emit();

  const ctx: JobContext = {
    signal: controller.signal,
    progress(fraction, note) {
      const current = jobs.find((job) => job.id === id);
      if (!current || current.state !== 'running') return;
      const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
      patch(id, { progress: clamped, note: note ?? current.note });
    },
  };

  const settle = (change: Partial<JobInfo>): void => {
    controllers.delete(id);
    jobs = jobs.map((job) => (job.id === id ? { ...job, ...change, endedAt: Date.now() } : job));
    trimFinished();
    emit();
  };

  // NOTE: run starts on a microtask so a synchronous throw still becomes a failed job.
  const result = Promise.resolve()
    .then(() => run(ctx))
    .then(
      (value) => {
        if (controller.signal.aborted) {
          settle({ state: 'cancelled' });
          throw new JobCancelledError(title);
        }
        settle({ state: 'done', progress: 1 });
        return value;
      },
      (err: unknown) => {
        if (controller.signal.aborted) {
          settle({ state: 'cancelled' });
          throw new JobCancelledError(title);
        }
        settle({ state: 'failed', error: messageOf(err) });
        throw err;
      },
    );
  // callers that ignore the result must not see unhandled rejections: the list holds the outcome
  result.catch(() => undefined);

  return { id, result, cancel: () => cancelJob(id) };
}

/** Asks job `id` to stop (aborts its signal). No effect on finished jobs. */
export function cancelJob(id: number): void {
  const controller = controllers.get(id);
  if (!controller || controller.signal.aborted) return;
  patch(id, { cancelRequested: true });
  controller.abort(new JobCancelledError(jobs.find((job) => job.id === id)?.title ?? `#${id}`));
}

/** Removes finished jobs from the list (running ones stay). */
export function clearFinishedJobs(): void {
  jobs = jobs.filter((job) => job.state === 'running');
  emit();
}

export function getJobs(): readonly JobInfo[] {
  return jobs;
}

/** Calls `listener` with the whole list on every change; returns the unsubscribe. */
export function subscribeJobs(listener: (jobs: readonly JobInfo[]) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
