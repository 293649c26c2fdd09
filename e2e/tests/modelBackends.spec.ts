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

  test('offers no WebGPU without it, and a remembered WebGPU pick falls back visibly', async ({
    page,
    studio,
  }) => {
    // an earlier session (with WebGPU) picked it for the log-mel and WaveGlow
    await studio.goto();
    await studio.waitForBackend();
    await studio.byId('header.models.log-mel.select').selectOption('webgpu');
    await studio.byId('header.models.waveglow.select').selectOption('webgpu');
    await page.evaluate(() => window.__semilab!.persist.flushWork());

    // this session's browser has no WebGPU
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    });
    await studio.reload();
    await expect(studio.backendState).toHaveAttribute('data-state', 'unavailable');
    for (const model of ['log-mel', 'mlstm', 'waveglow']) {
      const option = studio.byId(`header.models.${model}.webgpu`);
      await expect(option).toBeDisabled();
      await expect(option).toHaveAttribute('title', /unavailable: .*no WebGPU/);
    }
    // the pick is kept (WebGPU may be back next time) but says what runs instead
    await expect(studio.byId('header.models.waveglow.select')).toHaveValue('webgpu');
    await expect(studio.byId('header.models.waveglow')).toHaveAttribute('data-fallback', 'true');
    await expect(studio.byId('header.models.waveglow.reason')).toHaveText(
      'WebGPU unavailable here, using wasm',
    );
    await expect(studio.byId('header.models.mlstm')).not.toHaveAttribute('data-fallback', 'true');

    await studio.byId('tabs.speech').click();
    await studio.byId('speech.file').setInputFiles(toneWav());
    await expect(studio.byId('speech.info')).toContainText('on onnxruntime-web (wasm)', {
      timeout: 120_000,
    });
    await expect(studio.byId('header.models.log-mel')).toHaveAttribute('data-backend', 'wasm');
    const reason = studio.byId('header.models.log-mel.reason');
    await expect(reason).toContainText('WebGPU unavailable here, using wasm');
    await expect(reason).toHaveAttribute('title', /^onnxruntime-web \(wasm\): .*no WebGPU/);
    expect(studio.pageErrors).toEqual([]);
  });
});
