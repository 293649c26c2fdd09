import { expect, test } from '../fixtures';

// The jobs here are the timer-driven test job behind window.__semilab
// (a debug hook): no panel starts real jobs yet.

test('a running job shows growing progress and Cancel stops it', async ({ studio }) => {
  await studio.goto();
  const id = await studio.startTestJob({ steps: 200, stepMs: 50 });
  const job = studio.job(id);
  await studio.expectJobState(id, 'running');
  await expect(job.getByTestId('jobs.item.title')).toHaveText('Test job (debug hook)');
  await expect(job.getByTestId('jobs.item.note')).toContainText(/step \d+ of 200/);
  await expect.poll(() => studio.jobProgress(id)).toBeGreaterThan(0.02);
  const early = await studio.jobProgress(id);
  await expect.poll(() => studio.jobProgress(id)).toBeGreaterThan(early);
  await expect(studio.byId('jobs.summary')).toHaveText('1 running');

  await job.getByTestId('jobs.item.cancel').click();
  await studio.expectJobState(id, 'cancelled');
  await expect(job.getByTestId('jobs.item.cancel')).toHaveCount(0);
  const stopped = await studio.jobProgress(id);
  expect(stopped).toBeLessThan(1);
  await studio.page.waitForTimeout(300);
  expect(await studio.jobProgress(id)).toBe(stopped);
  await expect(studio.byId('jobs.summary')).toHaveText('0 running');
  const state = await studio.page.evaluate(
    (jobId) => window.__semilab!.jobs().find((j) => j.id === jobId)?.state,
    id,
  );
  expect(state).toBe('cancelled');
});

test('finished and failed jobs keep their outcome until cleared', async ({ studio }) => {
  await studio.goto();
  const done = await studio.startTestJob({ steps: 3, stepMs: 20 });
  const failWith = 'segnet: out of memory';
  const failed = await studio.startTestJob({ steps: 4, stepMs: 20, failWith });
  await studio.expectJobState(done, 'done');
  await studio.expectJobState(failed, 'failed');
  expect(await studio.jobProgress(done)).toBe(1);
  await expect(studio.job(done).getByTestId('jobs.item.note')).toContainText('100%');
  await expect(studio.job(failed).getByTestId('jobs.item.error')).toHaveText(failWith);
  // newest first
  await expect(studio.jobs().first()).toHaveAttribute('data-job-id', String(failed));

  await studio.byId('jobs.clearFinished').click();
  await expect(studio.jobs()).toHaveCount(0);
  await expect(studio.byId('jobs.empty')).toBeVisible();
});
