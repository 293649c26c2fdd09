// The vocoder's fine-tuning set, end to end on real LJ Speech recordings: two
// recordings added from files, a duplicate and an over-the-cap add refused,
// the set after a reload and after a project export + import, one recording
// marked held out, a 2-step run on the set (loss curve, lr in the progress
// line), removing during the run refused, and Discard leaving the default
// model in use. Reads window.__semilabFineTuneSet (src/state/fineTuneSetStore.ts)
// and window.__semilabVocoderFineTune.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test, type StudioPage } from '../fixtures';

const wav = (id: string) =>
  fileURLToPath(new URL(`../../../shared/data/ljspeech/wavs/${id}.wav`, import.meta.url));
const A = 'LJ001-0002';
const B = 'LJ001-0008';
const C = 'LJ001-0004';
const haveData = [A, B, C].every((id) => existsSync(wav(id)));

function setState(page: Page) {
  return page.evaluate(() => window.__semilabFineTuneSet!.getState());
}

function runState(page: Page) {
  return page.evaluate(() => window.__semilabVocoderFineTune!.getState());
}

async function load(studio: StudioPage, id: string): Promise<void> {
  await studio.byId('speech.file').setInputFiles(wav(id));
  await expect(studio.byId('speech.info')).toContainText(`${id}.wav`, {
    timeout: 120_000,
  });
  await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
    timeout: 120_000,
  });
}

async function openSpeech(studio: StudioPage): Promise<void> {
  await studio.openTab('speech');
  await expect.poll(async () => (await setState(studio.page)).restored).toBe(true);
}

test.describe('The fine-tuning set', () => {
  test('adds, refuses, survives reload and import, trains on it and discards', async ({
    studio,
  }) => {
    test.skip(!haveData, 'the LJ Speech recordings in ../shared/data are absent');
    test.setTimeout(900_000);
    await studio.goto();
    await openSpeech(studio);
    const items = studio.byId('speech.finetune.set.item');
    const setError = studio.byId('speech.finetune.set.error');
    await expect(items).toHaveCount(0);
    // an empty set: a run would train on the loaded recording
    await expect(studio.byId('speech.finetune.set.add')).toBeDisabled();

    await load(studio, A);
    await expect(studio.byId('speech.finetune.source')).toContainText(
      `the loaded recording, ${A}.wav (the set is empty)`,
    );
    await studio.byId('speech.finetune.set.add').click();
    await load(studio, B);
    await studio.byId('speech.finetune.set.add').click();
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText(`${A}.wav`);
    await expect(items.nth(0)).toContainText('1.9 s');
    await expect(items.nth(1)).toContainText(`${B}.wav`);
    await expect(items.nth(1)).toContainText('1.8 s');
    await expect(studio.byId('speech.finetune.source')).toHaveAttribute('data-mode', 'ends');
    await expect(studio.byId('speech.finetune.source')).toContainText(
      'the last 15% of each recording is held out',
    );

    // bad input: a duplicate, then a recording past the cap; the set is unchanged
    await studio.byId('speech.finetune.set.add').click();
    await expect(setError).toContainText(`${B}.wav is already in the fine-tuning set`);
    await studio.page.evaluate(() => window.__semilab!.setFineTuneSetCap(6));
    await load(studio, C);
    await studio.byId('speech.finetune.set.add').click();
    await expect(setError).toContainText(`Adding ${C}.wav (5.1 s)`);
    await expect(setError).toContainText('over its 0:06 cap');
    await studio.page.evaluate(() => window.__semilab!.setFineTuneSetCap(null));
    expect((await setState(studio.page)).names).toEqual([`${A}.wav`, `${B}.wav`]);

    // saved as it goes: the set is there after a reload
    await studio.reload();
    await openSpeech(studio);
    await expect(items).toHaveCount(2);
    let saved = await setState(studio.page);
    expect(saved.names).toEqual([`${A}.wav`, `${B}.wav`]);
    expect(saved.seconds[0]).toBeCloseTo(1.8995, 3);
    expect(saved.heldOut).toBeNull();

    // mark A held out: the note says so, and the mark is saved too
    await items.nth(0).getByTestId('speech.finetune.set.heldOut').check();
    await expect(studio.byId('speech.finetune.source')).toHaveAttribute('data-mode', 'recording');
    await expect(studio.byId('speech.finetune.source')).toContainText(`${A}.wav is held out whole`);

    // the set travels in the project file: export, remove one, import, both are back
    const exported = await studio.exportProject();
    expect(exported.text).toContain('"speech.finetuneSet"');
    await items.nth(1).getByTestId('speech.finetune.set.remove').click();
    await expect(items).toHaveCount(1);
    await studio.importProject('project.json', exported.text);
    await expect(items).toHaveCount(2, { timeout: 60_000 });
    saved = await setState(studio.page);
    expect(saved.names).toEqual([`${A}.wav`, `${B}.wav`]);
    expect(saved.heldOut).toBe(`${A}.wav`);
    await studio.reload();
    await openSpeech(studio);
    expect((await setState(studio.page)).heldOut).toBe(`${A}.wav`);
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 120_000,
    });

    // a 2-step run on the set (512-sample segments, one per step)
    await studio.byId('speech.finetune.steps').fill('2');
    await studio.byId('speech.finetune.segmentSamples').fill('512');
    await studio.byId('speech.finetune.batch').fill('1');
    await expect(studio.byId('speech.finetune.settingError')).toHaveCount(0);
    const section = studio.byId('speech.finetune');
    await studio.byId('speech.finetune.start').click();
    const job = studio.jobs().filter({ hasText: 'Fine-tune WaveGlow on 2 recordings (2 steps)' });
    await expect(job).toHaveAttribute('data-state', 'running');
    await expect(section).toHaveAttribute('data-phase', 'running');

    // removing (or re-marking) during the run is refused and changes nothing
    await items.nth(1).getByTestId('speech.finetune.set.remove').click();
    await expect(setError).toContainText('The fine-tuning set cannot change now');
    await expect(setError).toContainText('is training on it');
    await expect(items).toHaveCount(2);
    expect((await setState(studio.page)).heldOut).toBe(`${A}.wav`);

    await expect(studio.byId('speech.finetune.progress')).toContainText(/step 1 of 2, .* lr \d/, {
      timeout: 300_000,
    });
    await expect(section).toHaveAttribute('data-phase', 'trained', { timeout: 300_000 });
    // the refusal went with the lock: the set can change again
    await expect(setError).toHaveCount(0);
    await expect(studio.byId('speech.finetune.curve')).toHaveAttribute('data-points', '2');
    const run = await runState(studio.page);
    expect(run.outcome!.recordingName).toBe('2 recordings');
    expect(run.points.map((p) => p.step)).toEqual([1, 2]);
    // 2 steps at 10% warmup (none) and a cosine to 10%: the peak, then the floor
    expect(run.points[0].lr).toBeCloseTo(run.settings.lr, 12);
    expect(run.points[1].lr).toBeCloseTo(run.settings.lr * run.settings.floor, 12);
    for (const p of run.points) expect(Number.isFinite(p.loss)).toBe(true);
    const before = run.heldOutBefore!;
    expect(Number.isFinite(before) && Number.isFinite(run.outcome!.heldOutAfter)).toBe(true);
    expect(Math.abs(run.outcome!.heldOutAfter - before)).toBeGreaterThan(1e-6);
    console.log(
      `[finetune-set] losses ${run.points.map((p) => p.loss.toFixed(4)).join(', ')}; ` +
        `held-out (${A}) ${before.toFixed(4)} -> ${run.outcome!.heldOutAfter.toFixed(4)}`,
    );

    // Discard: the default model stays in use, and scores what it scored before the run
    await studio.byId('speech.finetune.discard').click();
    await expect(section).toHaveAttribute('data-phase', 'idle');
    await expect(studio.byId('speech.finetune.active')).toHaveAttribute('data-kept', 'false');
    await studio.byId('speech.finetune.score').click();
    const result = studio.byId('speech.finetune.score.result');
    await expect(result).toContainText('default WaveGlow', { timeout: 120_000 });
    await expect(result).toContainText('2 recordings');
    expect(Number(await result.getAttribute('data-nll'))).toBeCloseTo(before, 4);

    // after the run the set can change again
    await items.nth(1).getByTestId('speech.finetune.set.remove').click();
    await expect(items).toHaveCount(1);
    expect((await setState(studio.page)).heldOut).toBeNull();
    expect(studio.pageErrors).toEqual([]);
  });
});
