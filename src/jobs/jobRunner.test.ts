import { describe, expect, it } from 'vitest';
import {
  cancelJob,
  clearFinishedJobs,
  getJobs,
  JobCancelledError,
  startJob,
  subscribeJobs,
  type JobInfo,
} from './jobRunner';

const find = (id: number): JobInfo | undefined => getJobs().find((job) => job.id === id);

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('jobRunner', () => {
  it('runs a job to done with clamped progress and its result', async () => {
    const gate = deferred();
    const handle = startJob('sum', async ({ progress }) => {
      progress(0.25, 'a quarter');
      progress(7);
      await gate.promise;
      return 42;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(find(handle.id)).toMatchObject({ state: 'running', progress: 1, note: 'a quarter' });
    gate.resolve();
    await expect(handle.result).resolves.toBe(42);
    expect(find(handle.id)).toMatchObject({ state: 'done', progress: 1, error: null });
    expect(find(handle.id)?.endedAt).not.toBeNull();
  });

  it('marks a throwing job failed and keeps its message', async () => {
    const handle = startJob('broken', () => {
      throw new Error('model: weights missing');
    });
    await expect(handle.result).rejects.toThrow('model: weights missing');
    expect(find(handle.id)).toMatchObject({ state: 'failed', error: 'model: weights missing' });
  });

  it('cancels through the signal and rejects with JobCancelledError', async () => {
    let sawAbort = false;
    const handle = startJob('long', ({ signal }) => {
      return new Promise<void>((_, reject) => {
        signal.addEventListener('abort', () => {
          sawAbort = true;
          reject(signal.reason);
        });
      });
    });
    await Promise.resolve();
    handle.cancel();
    expect(find(handle.id)?.cancelRequested).toBe(true);
    await expect(handle.result).rejects.toBeInstanceOf(JobCancelledError);
    expect(sawAbort).toBe(true);
    expect(find(handle.id)?.state).toBe('cancelled');
  });

  it('counts a job that ignores the signal but was cancelled as cancelled', async () => {
    const gate = deferred();
    const handle = startJob('stubborn', async () => {
      await gate.promise;
      return 'finished anyway';
    });
    cancelJob(handle.id);
    gate.resolve();
    await expect(handle.result).rejects.toBeInstanceOf(JobCancelledError);
    expect(find(handle.id)?.state).toBe('cancelled');
  });

  it('notifies subscribers, stops after unsubscribe, and clears finished jobs', async () => {
    const seen: string[] = [];
    const unsubscribe = subscribeJobs((jobs) => seen.push(jobs.map((j) => j.state).join(',')));
    const handle = startJob('quick', async () => 1);
    await handle.result;
    unsubscribe();
    const count = seen.length;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toMatch(/done$/);
    clearFinishedJobs();
    expect(getJobs().filter((job) => job.state !== 'running')).toEqual([]);
    expect(seen.length).toBe(count);
  });

  it('ignores progress reported after the job settled', async () => {
    let late: ((f: number) => void) | null = null;
    const handle = startJob('late', async ({ progress }) => {
      late = progress;
      return 0;
    });
    await handle.result;
    late!(0.1);
    expect(find(handle.id)?.progress).toBe(1);
  });
});
