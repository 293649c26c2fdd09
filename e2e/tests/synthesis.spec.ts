// WaveGlow synthesis in the Speech panel, end to end: an excerpt of a real
// LJ Speech recording is synthesised from its log-mel as a job (progress,
// live speed against real time, an audio player, as many samples as WaveGlow
// predicts for its frames), sigma survives a reload, and the invertibility
// check gives the recording back to float rounding. Reads
// window.__semilabSynthesis (src/state/synthesisStore.ts).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { decodeWav } from '../../src/io/wav';
import { makeWav } from '../../src/io/wavTestUtils';
import { expect, test } from '../fixtures';

const LJ002 = fileURLToPath(
  new URL('../../../shared/data/ljspeech/wavs/LJ001-0002.wav', import.meta.url),
);
const CONFIG = fileURLToPath(new URL('../../public/models/waveglow/config.json', import.meta.url));
const haveLj = existsSync(LJ002);

// NOTE: 0.6 s keeps each test near a minute on SwiftShader (the whole 1.9 s
// recording synthesises at about 0.02x real time there)
const EXCERPT_S = 0.6;

/** The first EXCERPT_S seconds of LJ001-0002 as a 16-bit WAV, and its sample count. */
function excerpt(): { wav: Buffer; samples: number } {
  const decoded = decodeWav(new Uint8Array(readFileSync(LJ002)), { name: 'LJ001-0002.wav' });
  if (!decoded.ok) throw new Error(decoded.error.message);
  const { samples, sampleRate } = decoded.value;
  const part = samples.subarray(0, Math.round(EXCERPT_S * sampleRate));
  const wav = makeWav({ sampleRate, channels: [Float64Array.from(part)], bits: 16 });
  return { wav: Buffer.from(wav), samples: part.length };
}

/** Samples WaveGlow makes from `frames` frames: floor(frames * hop / n_group) * n_group. */
function predictedSamples(frames: number): number {
  const c = JSON.parse(readFileSync(CONFIG, 'utf8'));
  return Math.floor((frames * c.hop_length) / c.n_group) * c.n_group;
}

async function loadExcerpt(page: Page): Promise<number> {
  const { wav, samples } = excerpt();
  const frames = Math.floor(samples / 256) + 1;
  await page.getByTestId('tabs.speech').click();
  await page.getByTestId('speech.file').setInputFiles({
    name: 'LJ001-0002-excerpt.wav',
    mimeType: 'audio/wav',
    buffer: wav,
  });
  await expect(page.getByTestId('panel.speech')).toHaveAttribute('data-status', 'ready', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('speech.mel')).toHaveAttribute('data-frames', String(frames));
  return frames;
}

test.describe('Speech synthesis (WaveGlow)', () => {
  test.skip(!haveLj, `${LJ002} is absent: the synthesis end-to-end tests need it`);

  test('synthesises a recording as a job, with RTF, player and the predicted length', async ({
    studio,
  }) => {
    await studio.goto();
    const frames = await loadExcerpt(studio.page);
    const section = studio.byId('speech.synthesis');
    await expect(studio.byId('speech.synthesis.sigma.value')).toHaveText('0.60');
    await studio.byId('speech.synthesis.sigma').fill('0.4');
    await expect(studio.byId('speech.synthesis.sigma.value')).toHaveText('0.40');
    // headless: no sound device to stream to
    await studio.byId('speech.synthesis.live').uncheck();

    const started = Date.now();
    await studio.byId('speech.synthesis.run').click();
    const job = studio.byId('jobs.item').filter({ hasText: 'Synthesize LJ001-0002-excerpt.wav' });
    await expect(job).toHaveCount(1);
    await expect(job).toHaveAttribute('data-state', 'running');
    await expect(studio.byId('speech.synthesis.cancel')).toBeVisible();
    await expect(job).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
    const seconds = (Date.now() - started) / 1000;

    const audio = studio.byId('speech.synthesis.audio');
    await expect(audio).toBeVisible();
    const result = await studio.page.evaluate(() => window.__semilabSynthesis!.getResult());
    expect(result).not.toBeNull();
    // the speed in words: a multiple of real time and its inverse, compute per audio second
    const speed = (await studio.byId('speech.synthesis.rtf').textContent())!;
    const words = /^([\d.]+)x real time \(([\d.]+) s of compute per s of audio\)$/.exec(speed);
    expect(words, speed).not.toBeNull();
    expect(Math.abs(Number(words![1]) / result!.rtf - 1)).toBeLessThan(0.05);
    expect(Math.abs(Number(words![1]) * Number(words![2]) - 1)).toBeLessThan(0.05);
    // the job card's time is the panel's, split into loading, compute and the log-mel
    const note = (await job.getByTestId('jobs.item.note').textContent())!;
    expect(note).toContain(`${(result!.computeMs / 1000).toFixed(1)} s compute`);
    const card = /· ([\d.]+) s$/.exec(note);
    expect(card, note).not.toBeNull();
    await expect(studio.byId('speech.synthesis.jobtime')).toContainText(`(job ${card![1]} s: `, {
      timeout: 60_000,
    });
    await expect(studio.byId('speech.synthesis.jobtime')).toContainText(
      `${(result!.computeMs / 1000).toFixed(1)} s compute + `,
    );
    const expected = predictedSamples(frames);
    expect(result!.samples).toBe(expected);
    await expect(audio).toHaveAttribute('data-samples', String(expected));
    expect(result!.sampleRate).toBe(22050);
    expect(result!.sigma).toBeCloseTo(0.4, 6);
    expect(result!.rtf).toBeGreaterThan(0);
    // synthesis runs on the backend chosen for this device (wasm reports no GPU memory)
    const backend = await studio.byId('header.models.waveglow').getAttribute('data-backend');
    if (backend === 'webgpu') expect(result!.peakBytes).toBeGreaterThan(0);
    // a real signal, not silence or a blow-up
    expect(result!.rms).toBeGreaterThan(1e-4);
    expect(result!.rms).toBeLessThan(1);
    await expect(
      section.getByTestId('speech.synthesis.plots').getByTestId('speech.mel'),
    ).toBeVisible({ timeout: 60_000 });
    console.log(
      `[synthesis] ${EXCERPT_S} s excerpt in the page: ${result!.samples} samples, ` +
        `compute ${(result!.computeMs / 1000).toFixed(1)} s, RTF ${result!.rtf.toFixed(4)}, ` +
        `peak GPU ${(result!.peakBytes / 2 ** 20).toFixed(1)} MiB (job ${seconds.toFixed(1)} s)`,
    );

    const download = studio.page.waitForEvent('download');
    await studio.byId('speech.synthesis.export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('LJ001-0002-excerpt-waveglow-sigma0.40.wav');
    const chunks: Buffer[] = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBe(44 + 2 * expected);
    expect(bytes.readUInt32LE(24)).toBe(22050);

    // sigma is saved work; the synthesis itself is not
    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.byId('tabs.speech').click();
    await expect(studio.byId('speech.synthesis.sigma.value')).toHaveText('0.40', {
      timeout: 60_000,
    });
    expect(await studio.page.evaluate(() => window.__semilabSynthesis!.getResult())).toBeNull();
    expect(studio.pageErrors).toEqual([]);
  });

  test('inverts the recording: infer(forward(audio)) gives it back below 1e-3', async ({
    studio,
  }) => {
    await studio.goto();
    await loadExcerpt(studio.page);
    await studio.byId('speech.synthesis.invert').click();
    const job = studio.byId('jobs.item').filter({ hasText: 'Invert LJ001-0002-excerpt.wav' });
    await expect(job).toHaveCount(1);
    await expect(job).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
    const line = studio.byId('speech.synthesis.invert.result');
    await expect(line).toBeVisible();
    const invert = await studio.page.evaluate(() => window.__semilabSynthesis!.getInvert());
    expect(invert).not.toBeNull();
    const { samples } = excerpt();
    // the recording trimmed to the frames whose synthesis it covers
    expect(invert!.samples).toBe(predictedSamples(Math.floor(samples / 256)));
    expect(invert!.peak).toBeGreaterThan(0.05);
    expect(invert!.maxAbsError).toBeLessThan(1e-3);
    expect(Number(await line.getAttribute('data-error'))).toBe(invert!.maxAbsError);
    console.log(
      `[synthesis] invert ${invert!.samples} samples: max abs error ` +
        `${invert!.maxAbsError.toExponential(2)} (peak ${invert!.peak.toFixed(3)})`,
    );
    expect(studio.pageErrors).toEqual([]);
  });
});
