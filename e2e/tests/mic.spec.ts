// Microphone recording in the Speech panel, end to end, with Chromium's fake
// capture device playing a real LJ Speech recording: a ~2 s take becomes the
// recording (22050 Hz, log-mel, speech-like level) and survives a reload;
// a refused permission, a missing microphone and a too short take say so
// and keep the previous recording. Reads window.__semilabSpeech.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeWav } from '../../src/io/wavTestUtils';
import { decodeWav } from '../../src/io/wav';
import { logMelReference } from '../../src/models/mel/melReference';
import { expect, test, type StudioPage } from '../fixtures';

const LJ001 = fileURLToPath(
  new URL('../../../shared/data/ljspeech/wavs/LJ001-0001.wav', import.meta.url),
);
const haveLj = existsSync(LJ001);

// playwright.config.ts's browser and arguments, plus the fake microphone
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${LJ001}`,
    ],
  },
});

function lj001(): Float32Array {
  const decoded = decodeWav(new Uint8Array(readFileSync(LJ001)), { name: 'LJ001-0001.wav' });
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value.samples;
}

/** Mean log-mel per band of a row-major [bands, frames] log-mel. */
function bandMeans(data: ArrayLike<number>, bands: number, frames: number): number[] {
  return Array.from({ length: bands }, (_, b) => {
    let s = 0;
    for (let t = 0; t < frames; t++) s += data[b * frames + t];
    return s / frames;
  });
}

function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** A 0.5 s excerpt of LJ001-0001 as a WAV file: the "previous recording". */
function previousWav(): Buffer {
  const part = lj001().subarray(0, 11025);
  return Buffer.from(makeWav({ sampleRate: 22050, channels: [Float64Array.from(part)], bits: 16 }));
}

async function loadPrevious(studio: StudioPage): Promise<void> {
  await studio.byId('speech.file').setInputFiles({
    name: 'previous.wav',
    mimeType: 'audio/wav',
    buffer: previousWav(),
  });
  await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
    timeout: 60_000,
  });
}

async function recordingName(studio: StudioPage): Promise<string | undefined> {
  return studio.page.evaluate(() => window.__semilabSpeech!.getRecording()?.name);
}

test.describe('Speech: microphone', () => {
  test.skip(!haveLj, `${LJ001} is absent: the microphone tests play it as the fake device`);

  test('records ~2 s of real speech that becomes the saved recording', async ({ studio }) => {
    await studio.goto();
    await studio.openTab('speech');
    await studio.byId('speech.mic.record').click();
    const stop = studio.byId('speech.mic.stop');
    await expect(stop).toBeVisible();
    await expect(studio.byId('speech.mic')).toHaveAttribute('data-phase', 'recording');
    // the clock and the meter move while recording
    await expect
      .poll(async () =>
        Number(await studio.byId('speech.mic.elapsed').getAttribute('data-seconds')),
      )
      .toBeGreaterThan(1.0);
    await expect
      .poll(async () => Number(await studio.byId('speech.mic.level').getAttribute('data-dbfs')), {
        timeout: 10_000,
      })
      .toBeGreaterThan(-50);
    await expect
      .poll(async () =>
        Number(await studio.byId('speech.mic.elapsed').getAttribute('data-seconds')),
      )
      .toBeGreaterThanOrEqual(2.0);
    await stop.click();
    const took = Number(await studio.byId('speech.mic.elapsed').getAttribute('data-seconds'));

    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 60_000,
    });
    const rec = await studio.page.evaluate(() => window.__semilabSpeech!.getRecording());
    expect(rec).not.toBeNull();
    expect(rec!.name).toMatch(/^Microphone \d{4}-\d\d-\d\d \d\d-\d\d-\d\d\.wav$/);
    expect(rec!.sampleRate).toBe(22050);
    expect(rec!.originalChannels).toBe(1);
    expect([44100, 48000]).toContain(rec!.originalRate);
    const seconds = rec!.samples / 22050;
    expect(Math.abs(seconds - took)).toBeLessThan(0.05);
    expect(seconds).toBeGreaterThan(1.9);
    expect(seconds).toBeLessThan(5);

    // speech, not silence or a test tone: a voiced level and a log-mel with dynamics
    const stats = await studio.page.evaluate(() => {
      const x = window.__semilabSpeech!.getSamples()!;
      let energy = 0;
      let peak = 0;
      for (const v of x) {
        energy += v * v;
        peak = Math.max(peak, Math.abs(v));
      }
      const mel = window.__semilabSpeech!.getLogMel()!;
      // per-frame mean log-mel: speech alternates loud syllables and quiet gaps
      const frameMeans: number[] = [];
      for (let t = 0; t < mel.frames; t++) {
        let s = 0;
        for (let b = 0; b < mel.bands; b++) s += mel.data[b * mel.frames + t];
        frameMeans.push(s / mel.bands);
      }
      frameMeans.sort((a, b) => a - b);
      return {
        rms: Math.sqrt(energy / x.length),
        peak,
        frames: mel.frames,
        samples: x.length,
        loud: frameMeans[Math.floor(0.9 * frameMeans.length)],
        quiet: frameMeans[Math.floor(0.1 * frameMeans.length)],
        mel: Array.from(mel.data),
        bands: mel.bands,
      };
    });
    // the fake device plays LJ001-0001: the take's average spectrum is that speaker's
    const source = lj001();
    const sourceFrames = Math.floor(source.length / 256) + 1;
    const r = correlation(
      bandMeans(stats.mel, stats.bands, stats.frames),
      bandMeans(logMelReference(source), stats.bands, sourceFrames),
    );
    const { mel: _mel, ...figures } = stats;
    console.log(`[mic] band-mean correlation with LJ001-0001: ${r.toFixed(3)}`);
    expect(r).toBeGreaterThan(0.9);
    console.log(`[mic] take ${seconds.toFixed(2)} s: ${JSON.stringify(figures)}`);
    expect(stats.frames).toBe(Math.floor(stats.samples / 256) + 1);
    expect(stats.rms).toBeGreaterThan(0.01);
    expect(stats.peak).toBeLessThanOrEqual(1);
    expect(stats.loud - stats.quiet).toBeGreaterThan(1.5);
    await expect(studio.byId('speech.mel')).toBeVisible();
    await expect(studio.byId('speech.mic.error')).toHaveCount(0);

    // the take is saved work
    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.openTab('speech');
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 60_000,
    });
    expect(await recordingName(studio)).toBe(rec!.name);
    expect(await studio.page.evaluate(() => window.__semilabSpeech!.getRecording()!.samples)).toBe(
      rec!.samples,
    );
    expect(studio.pageErrors).toEqual([]);
  });

  test('a take that reaches the length cap stops by itself and is kept', async ({ studio }) => {
    await studio.goto();
    // the real cap is 10 minutes; the same path with a 1.5 s cap
    await studio.page.evaluate(() => window.__semilab!.setMicTakeLimit(1.5));
    await studio.openTab('speech');
    await studio.byId('speech.mic.record').click();
    await expect(studio.byId('speech.mic.note')).toHaveText(
      'Recording stopped at the 1.5 s limit.',
      { timeout: 15_000 },
    );
    await expect(studio.byId('speech.mic.record')).toBeVisible();
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 60_000,
    });
    const rec = await studio.page.evaluate(() => window.__semilabSpeech!.getRecording());
    expect(rec!.name).toMatch(/^Microphone /);
    // 1.5 s at the capture rate, resampled: 33075 samples, give or take the resampler's rounding
    expect(Math.abs(rec!.samples - 1.5 * 22050)).toBeLessThanOrEqual(2);
    expect(studio.pageErrors).toEqual([]);
  });

  test('a too short take is refused and keeps the previous recording', async ({ studio }) => {
    await studio.goto();
    await studio.openTab('speech');
    await loadPrevious(studio);
    // NOTE: a 0.1 s cap makes the take short for sure (a quick Stop click may take longer)
    await studio.page.evaluate(() => window.__semilab!.setMicTakeLimit(0.1));
    await studio.byId('speech.mic.record').click();
    await expect(studio.byId('speech.mic.error')).toContainText(
      'The take is 0.10 s long; record at least 0.2 s',
    );
    expect(await recordingName(studio)).toBe('previous.wav');
    expect(studio.pageErrors).toEqual([]);
  });

  for (const [name, message] of [
    ['NotAllowedError', 'Microphone access was denied'],
    ['NotFoundError', 'No microphone was found'],
  ] as const) {
    test(`getUserMedia failing with ${name} says so and keeps the recording`, async ({
      studio,
    }) => {
      await studio.page.addInitScript((errorName) => {
        navigator.mediaDevices.getUserMedia = () =>
          Promise.reject(new DOMException('refused by the test', errorName));
      }, name);
      await studio.goto();
      await studio.openTab('speech');
      await loadPrevious(studio);
      await studio.byId('speech.mic.record').click();
      await expect(studio.byId('speech.mic.error')).toContainText(message);
      await expect(studio.byId('speech.mic.record')).toBeEnabled();
      expect(await recordingName(studio)).toBe('previous.wav');
      await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready');
      expect(studio.pageErrors).toEqual([]);
    });
  }

  test('a page without getUserMedia says the browser cannot record', async ({ studio }) => {
    await studio.page.addInitScript(() => {
      Object.defineProperty(navigator, 'mediaDevices', { value: undefined });
    });
    await studio.goto();
    await studio.openTab('speech');
    await studio.byId('speech.mic.record').click();
    await expect(studio.byId('speech.mic.error')).toContainText('This browser cannot record');
    expect(await recordingName(studio)).toBeUndefined();
    expect(studio.pageErrors).toEqual([]);
  });
});
