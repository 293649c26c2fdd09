// WaveGlow synthesis on onnxruntime-web (wasm): in a browser without WebGPU
// the Speech panel synthesises an excerpt of a real LJ Speech recording from
// its log-mel (the predicted length, a real signal), the header names the
// backend and why, and sigma survives a reload. With WebGPU present, the
// header's override moves synthesis to wasm and is remembered.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { decodeWav } from '../../src/io/wav';
import { makeWav } from '../../src/io/wavTestUtils';
import { expect, test, type StudioPage } from '../fixtures';

const LJ002 = fileURLToPath(
  new URL('../../../shared/data/ljspeech/wavs/LJ001-0002.wav', import.meta.url),
);
const haveLj = existsSync(LJ002);

/** The first `seconds` of LJ001-0002 as a 16-bit WAV, and its mel frame count. */
function excerpt(seconds: number): { wav: Buffer; frames: number } {
  const decoded = decodeWav(new Uint8Array(readFileSync(LJ002)), { name: 'LJ001-0002.wav' });
  if (!decoded.ok) throw new Error(decoded.error.message);
  const { samples, sampleRate } = decoded.value;
  const part = samples.subarray(0, Math.round(seconds * sampleRate));
  const wav = makeWav({ sampleRate, channels: [Float64Array.from(part)], bits: 16 });
  return { wav: Buffer.from(wav), frames: Math.floor(part.length / 256) + 1 };
}

async function loadExcerpt(page: Page, seconds: number): Promise<number> {
  const { wav, frames } = excerpt(seconds);
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

async function synthesize(studio: StudioPage): Promise<void> {
  await studio.byId('speech.synthesis.live').uncheck(); // headless: no sound device
  await studio.byId('speech.synthesis.run').click();
  const job = studio.byId('jobs.item').filter({ hasText: 'Synthesize LJ001-0002-excerpt.wav' });
  await expect(job.last()).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(studio.byId('speech.synthesis.audio')).toBeVisible();
}

test.describe('Speech synthesis on wasm', () => {
  test.skip(!haveLj, `${LJ002} is absent: the synthesis end-to-end tests need it`);

  test('synthesises a recording in a browser without WebGPU', async ({ page, studio }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    });
    await studio.goto();
    await expect(studio.backendState).toHaveAttribute('data-state', 'unavailable');
    const frames = await loadExcerpt(page, 1.0);
    await expect(studio.byId('speech.synthesis.nowebgpu')).toContainText(
      'Synthesis runs on onnxruntime-web (wasm)',
    );
    await expect(studio.byId('speech.synthesis.invert')).toBeDisabled();
    // the vocoder's GPU-only buttons say up front why they are greyed out
    await expect(studio.byId('speech.finetune.nowebgpu')).toContainText(
      'Fine-tuning and scoring run WaveGlow on the GPU and need WebGPU, which this page cannot use',
    );
    await expect(studio.byId('speech.finetune.start')).toBeDisabled();
    await expect(studio.byId('speech.finetune.score')).toBeDisabled();
    await studio.byId('speech.synthesis.sigma').fill('0.5');
    const started = Date.now();
    await synthesize(studio);
    const seconds = (Date.now() - started) / 1000;

    const entry = studio.byId('header.models.waveglow');
    await expect(entry).toHaveAttribute('data-backend', 'wasm');
    await expect(studio.byId('header.models.waveglow.reason')).toContainText(
      /onnxruntime-web \(wasm\): .*no WebGPU/,
    );
    const result = await page.evaluate(() => window.__semilabSynthesis!.getResult());
    expect(result).not.toBeNull();
    // floor(frames * hop / n_group) * n_group with hop 256, n_group 8
    expect(result!.samples).toBe(Math.floor((frames * 256) / 8) * 8);
    expect(result!.sigma).toBeCloseTo(0.5, 6);
    expect(result!.rtf).toBeGreaterThan(0);
    // a real signal, not silence or a blow-up
    expect(result!.rms).toBeGreaterThan(1e-4);
    expect(result!.rms).toBeLessThan(1);
    console.log(
      `[synthesis-wasm] 1.0 s excerpt: ${result!.samples} samples, compute ` +
        `${(result!.computeMs / 1000).toFixed(2)} s, RTF ${result!.rtf.toFixed(3)} ` +
        `(job ${seconds.toFixed(1)} s)`,
    );

    await page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.byId('tabs.speech').click();
    await expect(studio.byId('speech.synthesis.sigma.value')).toHaveText('0.50', {
      timeout: 60_000,
    });
    expect(studio.pageErrors).toEqual([]);
  });

  test('moves synthesis to wasm when overridden, and remembers it', async ({ studio }) => {
    await studio.goto();
    await studio.waitForBackend();
    await studio.byId('header.models.waveglow.select').selectOption('wasm');
    await loadExcerpt(studio.page, 0.3);
    await synthesize(studio);
    await expect(studio.byId('header.models.waveglow')).toHaveAttribute('data-backend', 'wasm');
    await expect(studio.byId('header.models.waveglow.reason')).toContainText(
      'onnxruntime-web (wasm): chosen by you',
    );
    const result = await studio.page.evaluate(() => window.__semilabSynthesis!.getResult());
    expect(result!.rms).toBeGreaterThan(1e-4);
    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await expect(studio.byId('header.models.waveglow.select')).toHaveValue('wasm');
    expect(studio.pageErrors).toEqual([]);
  });
});
