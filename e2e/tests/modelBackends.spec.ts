// Per-model backend choice: measured on first use and explained in the
// header, overridable and remembered across reloads, and the wasm fallback
// carrying the Speech panel when the browser has no WebGPU at all.
import { makeWav, sine } from '../../src/io/wavTestUtils';
import { expect, test } from '../fixtures';

/** A 1 s 440 Hz tone as a WAV file (no shared data needed). */
function toneWav() {
  return {
    name: 'tone.wav',
    mimeType: 'audio/wav',
    buffer: Buffer.from(makeWav({ sampleRate: 22050, bits: 16, channels: [sine(22050, 1, 440)] })),
  };
}

test.describe('model backends', () => {
  test('measures both backends for the log-mel and says which won and why', async ({ studio }) => {
    await studio.goto();
    await studio.waitForBackend();
    const entry = studio.byId('header.models.log-mel');
    await expect(studio.byId('header.models.log-mel.reason')).toHaveText('measured on first use');
    await studio.byId('tabs.speech').click();
    await studio.byId('speech.file').setInputFiles(toneWav());
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 120_000,
    });
    await expect(entry).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
    const reason = studio.byId('header.models.log-mel.reason');
    await expect(reason).toContainText(/faster than (wasm|WebGPU)/);
    await expect(reason).toContainText(/ms vs /);
    const chosen = await entry.getAttribute('data-backend');
    await expect(studio.byId('speech.info')).toContainText(
      chosen === 'webgpu' ? 'on WebGPU' : 'on onnxruntime-web (wasm)',
    );
    expect(studio.pageErrors).toEqual([]);
  });

  test('keeps an override across a reload', async ({ studio }) => {
    await studio.goto();
    await studio.byId('header.models.log-mel.select').selectOption('wasm');
    await studio.byId('tabs.speech').click();
    await studio.byId('speech.file').setInputFiles(toneWav());
    await expect(studio.byId('speech.info')).toContainText('on onnxruntime-web (wasm)', {
      timeout: 120_000,
    });
    await expect(studio.byId('header.models.log-mel.reason')).toContainText('chosen by you');
    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await expect(studio.byId('header.models.log-mel.select')).toHaveValue('wasm');
  });

  test('runs the Speech panel on wasm in a browser without WebGPU', async ({ page, studio }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    });
    await studio.goto();
    await expect(studio.backendState).toHaveAttribute('data-state', 'unavailable');
    await expect(studio.byId('header.backend.message')).toContainText('no WebGPU');
    await studio.byId('tabs.speech').click();
    await studio.byId('speech.file').setInputFiles(toneWav());
    await expect(studio.byId('speech.info')).toContainText('on onnxruntime-web (wasm)', {
      timeout: 120_000,
    });
    await expect(studio.byId('header.models.log-mel.reason')).toContainText('no WebGPU');
    await expect(studio.byId('speech.mel')).toHaveAttribute(
      'data-frames',
      String(Math.floor(22050 / 256) + 1),
    );
  });
});
