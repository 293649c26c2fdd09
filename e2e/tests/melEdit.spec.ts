// Spectrogram editing in the Speech panel, end to end: a raise stroke painted
// with the mouse on the real LJ001-0001 log-mel, undo, a 1.5x time stretch,
// the edit surviving a reload and dropped for a different recording, the undo
// history surviving a reload (two strokes undone one by one after it), and
// WaveGlow synthesising the edited (stretched) mel of a short excerpt. Reads
// window.__semilabMelEdit (src/state/melEditStore.ts), __semilabSpeech and
// __semilabSynthesis.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { decodeWav } from '../../src/io/wav';
import { makeWav } from '../../src/io/wavTestUtils';
import { MARGIN } from '../../src/panels/speech/plotting';
import { expect, test, type StudioPage } from '../fixtures';

const WAVS = '../../../shared/data/ljspeech/wavs/';
const LJ001 = fileURLToPath(new URL(`${WAVS}LJ001-0001.wav`, import.meta.url));
const LJ002 = fileURLToPath(new URL(`${WAVS}LJ001-0002.wav`, import.meta.url));
const CONFIG = fileURLToPath(new URL('../../public/models/waveglow/config.json', import.meta.url));
const haveLj = existsSync(LJ001) && existsSync(LJ002);

/** Loads a WAV through the file input and waits for its spectrogram; returns its frames. */
async function loadWav(page: Page, name: string, wav: Buffer): Promise<number> {
  const decoded = decodeWav(new Uint8Array(wav), { name });
  if (!decoded.ok) throw new Error(decoded.error.message);
  const frames = Math.floor(decoded.value.samples.length / 256) + 1;
  await page.getByTestId('tabs.speech').click();
  await page.getByTestId('speech.file').setInputFiles({ name, mimeType: 'audio/wav', buffer: wav });
  await expect(page.getByTestId('speech.mel')).toHaveAttribute('data-frames', String(frames), {
    timeout: 120_000,
  });
  await expect(page.getByTestId('panel.speech')).toHaveAttribute('data-status', 'ready');
  return frames;
}

function edited(page: Page) {
  return page.evaluate(() => window.__semilabMelEdit!.getEdited());
}

function original(page: Page) {
  return page.evaluate(() => window.__semilabSpeech!.getLogMel()!);
}

/** Page coordinates of cell (frame, band) on the editor canvas. */
async function cellToPage(studio: StudioPage, frame: number, band: number, frames: number) {
  const box = (await studio.byId('speech.melEdit.canvas').boundingBox())!;
  const plotW = box.width - MARGIN.left - MARGIN.right;
  const plotH = box.height - MARGIN.top - MARGIN.bottom;
  return {
    x: box.x + MARGIN.left + ((frame + 0.5) / frames) * plotW,
    y: box.y + MARGIN.top + plotH - ((band + 0.5) / 80) * plotH,
  };
}

test.describe('Speech spectrogram editing', () => {
  test.skip(!haveLj, `${LJ001} or ${LJ002} is absent: the editing end-to-end tests need them`);

  test('paints a raise stroke, undoes it, stretches 1.5x, keeps the edit over a reload', async ({
    studio,
  }) => {
    await studio.goto();
    const frames = await loadWav(studio.page, 'LJ001-0001.wav', readFileSync(LJ001));
    await expect(studio.byId('speech.melEdit')).toHaveAttribute('data-edited', 'false');
    await studio.byId('speech.melEdit.toggle').click();
    await expect(studio.byId('speech.melEdit.toggle')).toHaveText('Done editing');
    await studio.byId('speech.melEdit.canvas').scrollIntoViewIfNeeded();
    await expect(studio.byId('speech.melEdit.undo')).toBeDisabled();

    // raise (the default tool, strength 2) along band 40 from frame 200 to 400
    const band = 40;
    const [f0, f1] = [200, 400];
    const from = await cellToPage(studio, f0, band, frames);
    const to = await cellToPage(studio, f1, band, frames);
    await studio.page.mouse.move(from.x, from.y);
    await studio.page.mouse.down();
    await studio.page.mouse.move(to.x, to.y, { steps: 12 });
    await studio.page.mouse.up();

    const before = await original(studio.page);
    const painted = await edited(studio.page);
    expect(painted).not.toBeNull();
    expect([painted!.bands, painted!.frames]).toEqual([80, frames]);
    const diff = (b: number, f: number) =>
      painted!.data[b * frames + f] - before.data[b * frames + f];
    for (let f = f0 + 10; f <= f1 - 10; f += 10) {
      expect(diff(band, f)).toBeGreaterThan(1.9);
      expect(diff(band, f)).toBeLessThanOrEqual(2 + 1e-5);
      expect(diff(band + 2, f)).toBeGreaterThan(0.5); // inside the 4-band radius, softer
    }
    // far from the stroke nothing moved
    for (const [b, f] of [
      [band, 50],
      [band, 600],
      [5, 300],
      [75, 300],
    ]) {
      expect(diff(b, f)).toBe(0);
    }
    await expect(studio.byId('speech.melEdit')).toHaveAttribute('data-edited', 'true');
    await expect(studio.byId('speech.melEdit.synthesisNote')).toContainText(
      'Synthesising the edited spectrogram',
    );

    // undo gives the recording's own log-mel back
    await studio.byId('speech.melEdit.undo').click();
    expect(await edited(studio.page)).toBeNull();
    await expect(studio.byId('speech.melEdit.synthesisNote')).toHaveCount(0);
    await expect(studio.byId('speech.melEdit.undo')).toBeDisabled();

    // paint again, then stretch the painted mel 1.5x
    await studio.page.mouse.move(from.x, from.y);
    await studio.page.mouse.down();
    await studio.page.mouse.move(to.x, to.y, { steps: 12 });
    await studio.page.mouse.up();
    await studio.byId('speech.melEdit.stretch').fill('1.5');
    await expect(studio.byId('speech.melEdit.stretch.value')).toHaveText('1.50×');
    await studio.byId('speech.melEdit.stretch.apply').click();
    const stretched = Math.round(frames * 1.5);
    await expect(studio.byId('speech.melEdit.canvas')).toHaveAttribute(
      'data-frames',
      String(stretched),
    );
    const kept = (await edited(studio.page))!;
    expect(kept.frames).toBe(stretched);
    // the stroke moved with time: frame 300 of the original is frame ~450 now
    const at = (f: number) =>
      kept.data[band * stretched + f] - before.data[band * frames + f / 1.5];
    expect(at(450)).toBeGreaterThan(1.8);

    // the edit is saved work: it comes back after a reload
    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.byId('tabs.speech').click();
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 120_000,
    });
    await expect(studio.byId('speech.melEdit')).toHaveAttribute('data-edited', 'true');
    const restored = (await edited(studio.page))!;
    expect(restored.frames).toBe(stretched);
    expect(restored.data).toEqual(kept.data);
    await expect(studio.byId('speech.melEdit.canvas')).toHaveAttribute(
      'data-frames',
      String(stretched),
    );

    // the project file carries the edit
    const exported = await studio.exportProject();
    const items = JSON.parse(exported.text).items as Array<{ key: string }>;
    expect(items.map((i) => i.key)).toContain('speech.melEdit');

    // a different recording starts unedited, and the saved edit is gone
    await loadWav(studio.page, 'LJ001-0002.wav', readFileSync(LJ002));
    await expect(studio.byId('speech.melEdit')).toHaveAttribute('data-edited', 'false');
    expect(await edited(studio.page)).toBeNull();
    await expect
      .poll(() => studio.page.evaluate(() => window.__semilab!.persist.listWork()))
      .not.toContain('speech.melEdit');

    // importing the project brings the recording and its edit back
    await studio.importProject(exported.name, exported.text);
    await expect(studio.byId('speech.info')).toContainText('LJ001-0001.wav', { timeout: 120_000 });
    await expect(studio.byId('speech.melEdit')).toHaveAttribute('data-edited', 'true');
    expect((await edited(studio.page))!.data).toEqual(kept.data);
    expect(studio.pageErrors).toEqual([]);
  });

  test('keeps the undo history over a reload: undo steps back stroke by stroke', async ({
    studio,
  }) => {
    await studio.goto();
    const frames = await loadWav(studio.page, 'LJ001-0001.wav', readFileSync(LJ001));
    const before = await original(studio.page);
    await studio.byId('speech.melEdit.toggle').click();
    await studio.byId('speech.melEdit.canvas').scrollIntoViewIfNeeded();
    const drag = async (band: number, f0: number, f1: number) => {
      const from = await cellToPage(studio, f0, band, frames);
      const to = await cellToPage(studio, f1, band, frames);
      await studio.page.mouse.move(from.x, from.y);
      await studio.page.mouse.down();
      await studio.page.mouse.move(to.x, to.y, { steps: 10 });
      await studio.page.mouse.up();
    };
    await drag(30, 100, 300);
    const one = (await edited(studio.page))!;
    await studio.byId('speech.melEdit.tool.lower').click();
    await drag(50, 250, 600);
    const two = (await edited(studio.page))!;
    await expect(studio.byId('speech.melEdit.undo.depth')).toHaveText('(2)');
    // the strokes did something, and the second changed what the first left
    expect(one.data).not.toEqual(before.data);
    expect(two.data).not.toEqual(one.data);

    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.byId('tabs.speech').click();
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 120_000,
    });
    await expect(studio.byId('speech.melEdit')).toHaveAttribute('data-edited', 'true');
    expect((await edited(studio.page))!.data).toEqual(two.data);
    // the recomputed original is the one the strokes were painted on
    expect((await original(studio.page)).data).toEqual(before.data);
    await studio.byId('speech.melEdit.toggle').click();
    await expect(studio.byId('speech.melEdit.undo.depth')).toHaveText('(2)');

    await studio.byId('speech.melEdit.undo').click();
    await expect(studio.byId('speech.melEdit.undo.depth')).toHaveText('(1)');
    expect((await edited(studio.page))!.data).toEqual(one.data);
    await studio.byId('speech.melEdit.undo').click();
    expect(await edited(studio.page)).toBeNull();
    await expect(studio.byId('speech.melEdit')).toHaveAttribute('data-edited', 'false');
    await expect(studio.byId('speech.melEdit.undo')).toBeDisabled();

    // undone to the original is saved too: nothing comes back after another reload
    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.byId('tabs.speech').click();
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 120_000,
    });
    await expect(studio.byId('speech.melEdit')).toHaveAttribute('data-edited', 'false');
    expect(await edited(studio.page)).toBeNull();
    expect(studio.pageErrors).toEqual([]);
  });

  test('synthesises the edited, 1.5x stretched mel of an excerpt', async ({ studio }) => {
    test.setTimeout(300_000);
    // NOTE: 0.3 s (one 64-frame chunk once stretched) keeps the synthesis short on SwiftShader
    const decoded = decodeWav(new Uint8Array(readFileSync(LJ001)), { name: 'LJ001-0001.wav' });
    if (!decoded.ok) throw new Error(decoded.error.message);
    const part = decoded.value.samples.subarray(0, Math.round(0.3 * 22050));
    const wav = Buffer.from(
      makeWav({ sampleRate: 22050, channels: [Float64Array.from(part)], bits: 16 }),
    );

    await studio.goto();
    const frames = await loadWav(studio.page, 'LJ001-0001-excerpt.wav', wav);
    await studio.byId('speech.melEdit.toggle').click();
    await studio.byId('speech.melEdit.stretch').fill('1.5');
    await studio.byId('speech.melEdit.stretch.apply').click();
    const stretched = Math.round(frames * 1.5);
    await expect(studio.byId('speech.melEdit.canvas')).toHaveAttribute(
      'data-frames',
      String(stretched),
    );
    await expect(studio.byId('speech.melEdit.synthesisNote')).toContainText(
      `Synthesising the edited spectrogram (${stretched} frames)`,
    );

    await studio.byId('speech.synthesis.live').uncheck();
    await studio.byId('speech.synthesis.run').click();
    const job = studio.byId('jobs.item').filter({ hasText: 'Synthesize LJ001-0001-excerpt.wav' });
    await expect(job).toHaveAttribute('data-state', 'done', { timeout: 240_000 });
    const result = await studio.page.evaluate(() => window.__semilabSynthesis!.getResult());
    expect(result).not.toBeNull();
    const c = JSON.parse(readFileSync(CONFIG, 'utf8'));
    const expected = Math.floor((stretched * c.hop_length) / c.n_group) * c.n_group;
    expect(result!.frames).toBe(stretched);
    expect(result!.samples).toBe(expected);
    // 1.5x the samples the unedited mel would give, within a group
    const plain = Math.floor((frames * c.hop_length) / c.n_group) * c.n_group;
    expect(Math.abs(result!.samples / plain - 1.5)).toBeLessThan(0.03);
    expect(result!.rms).toBeGreaterThan(1e-4);
    expect(result!.rms).toBeLessThan(1);
    // the original stays playable beside the synthesis
    await expect(studio.byId('speech.audio')).toBeVisible();
    await expect(studio.byId('speech.synthesis.audio')).toHaveAttribute(
      'data-samples',
      String(expected),
    );
    expect(result!.editedMel).toBe(true);
    // the exported WAV's name says the mel was edited
    const download = studio.page.waitForEvent('download');
    await studio.byId('speech.synthesis.export').click();
    expect((await download).suggestedFilename()).toBe(
      'LJ001-0001-excerpt-edited-waveglow-sigma0.60.wav',
    );
    console.log(
      `[melEdit] ${frames} -> ${stretched} frames synthesised to ${result!.samples} samples ` +
        `(compute ${(result!.computeMs / 1000).toFixed(1)} s)`,
    );
    expect(studio.pageErrors).toEqual([]);
  });
});
