// The Sentiment panel on onnxruntime-web (wasm): in a browser without WebGPU
// it reads a text (heat map, next-byte predictions), fits from a few labels
// (features on wasm, L1 logistic on the CPU), generates with the sentiment unit
// clamped, and keeps the labelled set and classifier across a reload. Where
// both backends exist, the header's override moves the mLSTM between them.
import type { Page } from '@playwright/test';
import { expect, test, type StudioPage } from '../fixtures';

const bytesOf = (s: string) => Buffer.byteLength(s, 'utf8');

async function label(page: Page, text: string, positive: boolean): Promise<void> {
  await page.getByTestId('sentiment.text').fill(text);
  await page.getByTestId(positive ? 'sentiment.addPositive' : 'sentiment.addNegative').click();
}

async function readText(studio: StudioPage, text: string): Promise<void> {
  await studio.byId('sentiment.text').fill(text);
  await expect(studio.byId('sentiment.heatmap')).toHaveAttribute(
    'data-cells',
    String(bytesOf(text)),
    { timeout: 80_000 },
  );
  await expect(studio.byId('sentiment.heatmap.cell')).toHaveCount(bytesOf(text));
  await expect(studio.byId('sentiment.next.item')).toHaveCount(5, { timeout: 80_000 });
}

test.describe('Sentiment panel on wasm', () => {
  test('reads, fits, generates and keeps the work without WebGPU', async ({ page, studio }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    });
    await studio.goto();
    await expect(studio.backendState).toHaveAttribute('data-state', 'unavailable');
    await studio.openTab('sentiment');

    await readText(studio, 'Très bon film, vraiment!');
    const entry = studio.byId('header.models.mlstm');
    await expect(entry).toHaveAttribute('data-backend', 'wasm');
    await expect(studio.byId('header.models.mlstm.reason')).toContainText(
      /onnxruntime-web \(wasm\): .*no WebGPU/,
    );

    await label(page, 'a great and moving film', true);
    await label(page, 'wonderful acting, loved it', true);
    await label(page, 'a joy from start to end', true);
    await label(page, 'awful and boring', false);
    await label(page, 'a dull, lifeless mess', false);
    await label(page, 'worst film of the year', false);
    await expect(studio.byId('sentiment.labelled.item')).toHaveCount(6);
    // fine-tuning trains on the GPU: refused up front, with the reason, not after a click
    await expect(studio.byId('sentiment.finetune.start')).toBeDisabled();
    await expect(studio.byId('sentiment.finetune.needsWebGpu')).toContainText(
      'needs WebGPU, which this page cannot use',
    );
    await expect(studio.byId('sentiment.finetune.estimate')).toHaveCount(0);
    await studio.byId('sentiment.fit').click();
    await expect(studio.byId('sentiment.fit.accuracy')).toContainText(
      /Cross-validated accuracy \d+\.\d%/,
      { timeout: 85_000 },
    );
    await expect(studio.byId('sentiment.fit.unit')).toContainText(/sentiment unit \d+/);
    await expect(studio.jobs().filter({ hasText: 'Fit sentiment classifier' })).toHaveAttribute(
      'data-state',
      'done',
    );

    // with a classifier, reading gives a verdict
    await readText(studio, 'a great film');
    await expect(studio.byId('sentiment.verdict')).toContainText(/P\(positive\) = \d+\.\d%/);

    await studio.byId('sentiment.gen.prefix').fill('The film');
    await studio.byId('sentiment.gen.steps').fill('24');
    await studio.byId('sentiment.gen.clamp').selectOption('positive');
    await studio.byId('sentiment.gen.start').click();
    const output = studio.byId('sentiment.gen.output');
    await expect(output).toHaveAttribute('data-bytes', '24', { timeout: 85_000 });
    await expect(output).toHaveAttribute('data-running', 'false');

    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.openTab('sentiment');
    await expect(studio.byId('sentiment.labelled.item')).toHaveCount(6);
    await expect(studio.byId('sentiment.fit.accuracy')).toBeVisible();
    expect(studio.pageErrors).toEqual([]);
  });

  test('moves the mLSTM between WebGPU and wasm when overridden', async ({ studio }) => {
    await studio.goto();
    await studio.waitForBackend();
    await studio.openTab('sentiment');
    const entry = studio.byId('header.models.mlstm');
    const reason = studio.byId('header.models.mlstm.reason');

    await studio.byId('header.models.mlstm.select').selectOption('wasm');
    await readText(studio, 'Good fun');
    await expect(entry).toHaveAttribute('data-backend', 'wasm');
    await expect(reason).toContainText('onnxruntime-web (wasm): chosen by you');

    await studio.byId('header.models.mlstm.select').selectOption('webgpu');
    await readText(studio, 'Fine');
    await expect(entry).toHaveAttribute('data-backend', 'webgpu');
    await expect(reason).toContainText('our WebGPU kernels: chosen by you');

    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await expect(studio.byId('header.models.mlstm.select')).toHaveValue('webgpu');
    expect(studio.pageErrors).toEqual([]);
  });
});
