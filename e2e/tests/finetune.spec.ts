// Fine-tuning the vocoder in the Speech panel, end to end, on the real
// LJ001-0001 recording: a short run with a live loss curve, Discard, a run
// that is kept (the score of the vocoder in use, which synthesis and invert
// get from the same requireVocoder(), moves to the fine-tuned model's
// held-out NLL), a cancelled run that changes nothing, the kept model after
// a reload, its export as one zip of the folder `semilab vocode --weights` reads,
// and Revert; a "Load a recording first" refusal goes once a recording is loaded.
// Reads window.__semilabVocoderFineTune (src/state/vocoderFineTuneStore.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Download, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { parseSafetensors } from '../../src/io/safetensors';
import { makeWav } from '../../src/io/wavTestUtils';
import { parseWaveGlowConfig } from '../../src/models/waveglow/config';
import { expect, test, type StudioPage } from '../fixtures';

const LJ001 = fileURLToPath(
  new URL('../../../shared/data/ljspeech/wavs/LJ001-0001.wav', import.meta.url),
);
const haveLj = existsSync(LJ001);

/** 0.5 s of a 220 Hz tone at 22050 Hz, 16-bit: any recording will do for a refusal. */
function toneWav(): Buffer {
  const tone = Float64Array.from({ length: 11025 }, (_, i) => 0.3 * Math.sin(i * 0.0627));
  return Buffer.from(makeWav({ sampleRate: 22050, channels: [tone], bits: 16 }));
}

function state(page: Page) {
  return page.evaluate(() => window.__semilabVocoderFineTune!.getState());
}

async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Short runs: 512-sample segments, one per step. */
async function setRun(studio: StudioPage, steps: number): Promise<void> {
  await studio.byId('speech.finetune.steps').fill(String(steps));
  await studio.byId('speech.finetune.segmentSamples').fill('512');
  await studio.byId('speech.finetune.batch').fill('1');
  await studio.byId('speech.finetune.lr').fill('0.00003');
  await expect(studio.byId('speech.finetune.settingError')).toHaveCount(0);
}

/** Clicks Score and returns the NLL it shows. */
async function score(studio: StudioPage, label: string | RegExp): Promise<number> {
  // clicking clears the last score until the new one is there
  await studio.byId('speech.finetune.score').click();
  await expect
    .poll(async () => (await state(studio.page)).score, { timeout: 120_000 })
    .not.toBeNull();
  const result = studio.byId('speech.finetune.score.result');
  await expect(result).toContainText(label);
  return Number(await result.getAttribute('data-nll'));
}

async function loadLj001(studio: StudioPage): Promise<void> {
  await studio.byId('tabs.speech').click();
  await studio.byId('speech.file').setInputFiles(LJ001);
  await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
    timeout: 120_000,
  });
}

test.describe('Fine-tuning the vocoder', () => {
  test('refuses to start without a recording and keeps settings on bad input', async ({
    studio,
  }) => {
    await studio.goto();
    await studio.openTab('speech');
    const section = studio.byId('speech.finetune');
    await expect(section).toBeVisible();
    await expect(studio.byId('speech.finetune.active')).toHaveAttribute('data-kept', 'false');
    await studio.byId('speech.finetune.start').click();
    await expect(studio.byId('speech.finetune.error')).toContainText('Load a recording first');
    await expect(section).toHaveAttribute('data-phase', 'idle');
    await expect(studio.jobs().filter({ hasText: 'Fine-tune' })).toHaveCount(0);
    // the refusal goes as soon as its cause does: a recording is loaded
    await studio.byId('speech.file').setInputFiles({
      name: 'tone.wav',
      mimeType: 'audio/wav',
      buffer: toneWav(),
    });
    await expect(studio.byId('speech.info')).toContainText('tone.wav', { timeout: 60_000 });
    await expect(studio.byId('speech.finetune.error')).toHaveCount(0);
    await expect(studio.jobs().filter({ hasText: 'Fine-tune' })).toHaveCount(0);

    const defaults = (await state(studio.page)).settings;
    await studio.byId('speech.finetune.steps').fill('abc');
    await expect(studio.byId('speech.finetune.settingError')).toContainText(
      'Steps (expected an integer from 1 to 2000, got NaN)',
    );
    await studio.byId('speech.finetune.segmentSamples').fill('1000');
    await expect(studio.byId('speech.finetune.settingError')).toContainText(
      'Segment length (expected a multiple of 256, got 1000)',
    );
    expect((await state(studio.page)).settings).toEqual(defaults);
    // a refused value blocks the run until every field is fixed
    await expect(studio.byId('speech.finetune.start')).toBeDisabled();
    await studio.byId('speech.finetune.steps').fill('5');
    await expect(studio.byId('speech.finetune.settingError')).toContainText('Segment length');
    await expect(studio.byId('speech.finetune.start')).toBeDisabled();
    await studio.byId('speech.finetune.segmentSamples').fill('1024');
    await expect(studio.byId('speech.finetune.settingError')).toHaveCount(0);
    await expect(studio.byId('speech.finetune.start')).toBeEnabled();
    expect((await state(studio.page)).settings).toEqual({
      ...defaults,
      steps: 5,
      segmentSamples: 1024,
    });
    // settings are saved work
    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.openTab('speech');
    await expect(studio.byId('speech.finetune.steps')).toHaveValue('5');
    expect(studio.pageErrors).toEqual([]);
  });

  test('trains with a live curve; discard, keep, cancel, reload, export and revert', async ({
    studio,
  }) => {
    test.skip(!haveLj, `${LJ001} is absent: this test trains on it`);
    test.setTimeout(900_000);
    await studio.goto();
    await loadLj001(studio);
    const section = studio.byId('speech.finetune');
    await setRun(studio, 2);
    const defaultNll = await score(studio, 'default WaveGlow');
    expect(Number.isFinite(defaultNll)).toBe(true);

    // a run that is discarded: the default model stays in use
    await studio.byId('speech.finetune.start').click();
    await expect(studio.byId('speech.finetune.curve')).toBeVisible();
    await expect(section).toHaveAttribute('data-phase', 'trained', { timeout: 300_000 });
    await expect(studio.byId('speech.finetune.curve')).toHaveAttribute('data-points', '2');
    await studio.byId('speech.finetune.discard').click();
    await expect(section).toHaveAttribute('data-phase', 'idle');
    await expect(studio.byId('speech.finetune.active')).toHaveAttribute('data-kept', 'false');

    // a run that is kept
    await setRun(studio, 3);
    await studio.byId('speech.finetune.start').click();
    const job = studio.jobs().filter({ hasText: 'Fine-tune WaveGlow on LJ001-0001.wav (3 steps)' });
    await expect(job).toHaveAttribute('data-state', 'running');
    await expect(section).toHaveAttribute('data-phase', 'trained', { timeout: 300_000 });
    await expect(job).toHaveAttribute('data-state', 'done');
    const trained = await state(studio.page);
    expect(trained.points.map((p) => p.step)).toEqual([1, 2, 3]);
    for (const p of trained.points) expect(Number.isFinite(p.loss)).toBe(true);
    await expect(studio.byId('speech.finetune.curve')).toHaveAttribute('data-points', '3');
    // the held-out slice is the one the score uses: the same model gives the same NLL
    expect(trained.heldOutBefore!).toBeCloseTo(defaultNll, 4);
    const after = trained.outcome!.heldOutAfter;
    expect(Number.isFinite(after)).toBe(true);
    expect(Math.abs(after - defaultNll)).toBeGreaterThan(1e-5);
    // a run that made the held-out NLL worse says so
    await expect(studio.byId('speech.finetune.worse')).toHaveCount(after > defaultNll ? 1 : 0);
    console.log(
      `[finetune] losses ${trained.points.map((p) => p.loss.toFixed(4)).join(', ')}; ` +
        `held-out ${defaultNll.toFixed(4)} -> ${after.toFixed(4)} ` +
        `in ${trained.outcome!.seconds.toFixed(0)} s`,
    );
    await studio.byId('speech.finetune.keep').click();
    const label = 'fine-tuned on LJ001-0001.wav, 3 steps';
    await expect(studio.byId('speech.finetune.active')).toContainText(label, { timeout: 120_000 });
    await expect(studio.byId('speech.finetune.active')).toHaveAttribute('data-kept', 'true');
    expect(await score(studio, label)).toBeCloseTo(after, 4);

    // a cancelled run leaves the kept model in use
    await setRun(studio, 40);
    await studio.byId('speech.finetune.start').click();
    await expect
      .poll(async () => (await state(studio.page)).points.length, { timeout: 300_000 })
      .toBeGreaterThan(0);
    await studio.byId('speech.finetune.cancel').click();
    await expect(section).toHaveAttribute('data-phase', 'cancelled', { timeout: 120_000 });
    expect((await state(studio.page)).points.length).toBeLessThan(40);
    await expect(studio.byId('speech.finetune.active')).toContainText(label);
    expect(await score(studio, label)).toBeCloseTo(after, 4);

    // the kept model survives a reload
    await studio.reload();
    await studio.openTab('speech');
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 120_000,
    });
    await expect(studio.byId('speech.finetune.active')).toContainText(label, { timeout: 60_000 });
    expect(await score(studio, label)).toBeCloseTo(after, 4);

    // export: one zip, a folder with the two files `semilab vocode --weights` reads
    const folder = 'waveglow-fine-tuned-on-LJ001-0001-wav-3-steps';
    await expect(studio.byId('speech.finetune.export.note')).toContainText(`--weights ${folder}`);
    const downloads: Download[] = [];
    studio.page.on('download', (d) => downloads.push(d));
    await studio.byId('speech.finetune.export').click();
    await expect.poll(() => downloads.length).toBe(1);
    expect(downloads[0].suggestedFilename()).toBe(`${folder}.zip`);
    const files = unzipSync(new Uint8Array(await bytesOf(downloads[0])));
    expect(
      Object.keys(files)
        .filter((f) => !f.endsWith('/'))
        .sort(),
    ).toEqual([`${folder}/config.json`, `${folder}/weights.safetensors`]);
    const configText = new TextDecoder().decode(files[`${folder}/config.json`]);
    expect(parseWaveGlowConfig(configText).ok).toBe(true);
    const weights = parseSafetensors(files[`${folder}/weights.safetensors`]);
    if (!weights.ok) throw new Error(weights.error);
    expect(weights.value.metadata.label).toBe(label);
    expect(weights.value.tensors.get('upsample.weight')!.shape).toEqual([80, 80, 256]);

    // revert: the default model again, also after a reload
    await studio.byId('speech.finetune.revert').click();
    await expect(studio.byId('speech.finetune.active')).toHaveAttribute('data-kept', 'false');
    expect(await score(studio, 'default WaveGlow')).toBeCloseTo(defaultNll, 4);
    await studio.reload();
    await studio.openTab('speech');
    await expect(studio.byId('speech.finetune.active')).toHaveAttribute('data-kept', 'false');
    expect(studio.pageErrors).toEqual([]);
  });
});
