// Speech panel, end to end: a real LJ Speech recording through the page's
// file input, its GPU log-mel compared with the float64 reference computed
// here in Node, bad files refused while the recording stays, and the
// recording restored after a reload. Reads window.__semilabSpeech (the
// panel's test hook, src/state/speechStore.ts).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { randomArray } from '../../src/engine/testing';
import { decodeWav } from '../../src/io/wav';
import { makeWav, sine } from '../../src/io/wavTestUtils';
import { logMelReference } from '../../src/models/mel/melReference';
import { expect, test } from '../fixtures';

const LJ001 = fileURLToPath(
  new URL('../../../shared/data/ljspeech/wavs/LJ001-0001.wav', import.meta.url),
);
const haveLj = existsSync(LJ001);

/** Loads LJ001-0001 through the file input and waits for its spectrogram. */
async function loadLj001(page: Page): Promise<number> {
  const decoded = decodeWav(new Uint8Array(readFileSync(LJ001)), { name: 'LJ001-0001.wav' });
  if (!decoded.ok) throw new Error(decoded.error.message);
  const frames = Math.floor(decoded.value.samples.length / 256) + 1;
  await page.getByTestId('tabs.speech').click();
  await page.getByTestId('speech.file').setInputFiles(LJ001);
  await expect(page.getByTestId('speech.mel')).toHaveAttribute('data-frames', String(frames), {
    timeout: 120_000,
  });
  await expect(page.getByTestId('panel.speech')).toHaveAttribute('data-status', 'ready');
  return frames;
}

function recording(page: Page) {
  return page.evaluate(() => window.__semilabSpeech!.getRecording());
}

test.describe('Speech panel', () => {
  test.skip(!haveLj, `${LJ001} is absent: the Speech end-to-end tests need it`);

  for (const backend of ['webgpu', 'wasm'] as const) {
    test(`computes the log-mel of LJ001-0001 on ${backend} to 1e-3 of the reference`, async ({
      studio,
    }) => {
      await studio.goto();
      await studio.byId('header.models.log-mel.select').selectOption(backend);
      const frames = await loadLj001(studio.page);
      const mel = await studio.page.evaluate(() => window.__semilabSpeech!.getLogMel());
      expect(mel).not.toBeNull();
      expect(mel!.backend).toBe(backend);
      expect([mel!.bands, mel!.frames]).toEqual([80, frames]);

      const decoded = decodeWav(new Uint8Array(readFileSync(LJ001)), { name: 'LJ001-0001.wav' });
      if (!decoded.ok) throw new Error(decoded.error.message);
      expect(frames).toBe(Math.floor(decoded.value.samples.length / 256) + 1);
      const expected = logMelReference(decoded.value.samples);
      expect(mel!.data.length).toBe(expected.length);
      let worst = 0;
      for (let i = 0; i < expected.length; i++)
        worst = Math.max(worst, Math.abs(mel!.data[i] - expected[i]));
      console.log(
        `[speech] LJ001-0001 on ${backend}: ${frames} frames, ` +
          `max abs error ${worst.toExponential(2)}`,
      );
      expect(worst).toBeLessThan(1e-3);

      await expect(studio.byId('speech.info')).toContainText('LJ001-0001.wav');
      await expect(studio.byId('speech.info')).toContainText('22050 Hz, 1 channel');
      await expect(studio.byId('speech.info')).toContainText(
        backend === 'webgpu' ? 'on WebGPU' : 'on onnxruntime-web (wasm)',
      );
      await expect(studio.byId('speech.waveform')).toBeVisible();
      expect(studio.pageErrors).toEqual([]);
    });
  }

  test('refuses a non-audio file and an empty file and keeps the recording', async ({ studio }) => {
    await studio.goto();
    const frames = await loadLj001(studio.page);
    const input = studio.byId('speech.file');

    await input.setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not audio at all\n'.repeat(50)),
    });
    await expect(studio.byId('speech.error')).toContainText(
      'notes.txt could not be decoded as audio',
    );
    expect((await recording(studio.page))?.name).toBe('LJ001-0001.wav');
    await expect(studio.byId('speech.mel')).toHaveAttribute('data-frames', String(frames));

    await input.setInputFiles({
      name: 'empty.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.alloc(0),
    });
    await expect(studio.byId('speech.error')).toContainText('empty.wav is empty (0 bytes)');
    expect((await recording(studio.page))?.name).toBe('LJ001-0001.wav');

    // 601 s: over the 10-minute limit
    const long = makeWav({ sampleRate: 8000, channels: [new Float64Array(8000 * 601)], bits: 8 });
    await input.setInputFiles({
      name: 'long.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(long),
    });
    await expect(studio.byId('speech.error')).toContainText('the limit is 10 minutes');
    expect((await recording(studio.page))?.name).toBe('LJ001-0001.wav');

    // a WAV cut off inside its header
    const cut = readFileSync(LJ001).subarray(0, 30);
    await input.setInputFiles({ name: 'cut.wav', mimeType: 'audio/wav', buffer: cut });
    await expect(studio.byId('speech.error')).toContainText('cut.wav is a damaged WAV file');
    await expect(studio.byId('speech.mel')).toHaveAttribute('data-frames', String(frames));
    await expect(studio.byId('speech.info')).toContainText('LJ001-0001.wav');
    expect(studio.pageErrors).toEqual([]);
  });

  test('restores the recording and its spectrogram after a reload', async ({ studio }) => {
    await studio.goto();
    const frames = await loadLj001(studio.page);
    const before = await recording(studio.page);
    const melBefore = await studio.page.evaluate(() =>
      window.__semilabSpeech!.getLogMel()!.data.slice(0, 400),
    );

    await studio.reload();
    await studio.page.getByTestId('tabs.speech').click();
    await expect(studio.byId('speech.mel')).toHaveAttribute('data-frames', String(frames), {
      timeout: 120_000,
    });
    expect(await recording(studio.page)).toEqual(before);
    const melAfter = await studio.page.evaluate(() =>
      window.__semilabSpeech!.getLogMel()!.data.slice(0, 400),
    );
    expect(melAfter).toEqual(melBefore);
    await expect(studio.byId('speech.info')).toContainText('Restored from your last visit');
    await expect(studio.byId('speech.audio')).toBeVisible();
  });

  test('takes a dropped stereo 44.1 kHz file, resamples and downmixes it', async ({ studio }) => {
    await studio.goto();
    await studio.page.getByTestId('tabs.speech').click();
    // two tones over low noise (a pure tone's quietest bands sit below f32's reach)
    const [noiseL, noiseR] = [randomArray(44100, 5), randomArray(44100, 6)];
    const left = sine(44100, 1, 440, 0.4).map((v, i) => v + 0.01 * noiseL[i]);
    const right = sine(44100, 1, 3000, 0.2).map((v, i) => v + 0.01 * noiseR[i]);
    const wav = makeWav({ sampleRate: 44100, channels: [left, right], bits: 16 });
    const dataTransfer = await studio.page.evaluateHandle((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'tones.wav', { type: 'audio/wav' }));
      return dt;
    }, Array.from(wav));
    await studio.byId('speech.dropzone').dispatchEvent('drop', { dataTransfer });

    const decoded = decodeWav(wav, { name: 'tones.wav' });
    if (!decoded.ok) throw new Error(decoded.error.message);
    const frames = Math.floor(decoded.value.samples.length / 256) + 1;
    await expect(studio.byId('speech.mel')).toHaveAttribute('data-frames', String(frames), {
      timeout: 120_000,
    });
    await expect(studio.byId('speech.info')).toContainText('Resampled from 44100 Hz to 22050 Hz');
    await expect(studio.byId('speech.info')).toContainText('Downmixed from 2 channels to mono');
    const mel = await studio.page.evaluate(() => window.__semilabSpeech!.getLogMel()!);
    const expected = logMelReference(decoded.value.samples);
    let worst = 0;
    for (let i = 0; i < expected.length; i++)
      worst = Math.max(worst, Math.abs(mel.data[i] - expected[i]));
    expect(worst).toBeLessThan(1e-3);
  });
  test('refuses a float WAV holding NaN and keeps working after a reload', async ({ studio }) => {
    await studio.goto();
    const frames = await loadLj001(studio.page);
    const x = Array.from(sine(22050, 0.5, 440));
    x[100] = NaN;
    await studio.byId('speech.file').setInputFiles({
      name: 'nan.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(makeWav({ sampleRate: 22050, channels: [x], bits: 32, float: true })),
    });
    await expect(studio.byId('speech.error')).toContainText('not a number');
    await expect(studio.byId('speech.mel')).toHaveAttribute('data-frames', String(frames));
    await studio.reload();
    await studio.byId('tabs.speech').click();
    await expect(studio.byId('speech.mel')).toHaveAttribute('data-frames', String(frames), {
      timeout: 120_000,
    });
    expect(studio.pageErrors).toEqual([]);
  });
});
