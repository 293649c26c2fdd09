// The page stays responsive while onnxruntime-web (wasm) works: sessions run in ORT's
// worker proxy, so a synthesis of a real recording leaves the main thread free. Before
// the proxy, one chunk of a 1.9 s synthesis blocked it for 7.8 s of a 10.8 s run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../fixtures';

const LJ002 = fileURLToPath(
  new URL('../../../shared/data/ljspeech/wavs/LJ001-0002.wav', import.meta.url),
);

test.describe('wasm work off the main thread', () => {
  test.skip(!existsSync(LJ002), `${LJ002} is absent: this test synthesises a real recording`);

  test('the main thread keeps ticking during a wasm synthesis', async ({ page, studio }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    });
    await studio.goto();
    await studio.byId('tabs.speech').click();
    await studio.byId('speech.file').setInputFiles(LJ002);
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 60_000,
    });
    await studio.byId('speech.synthesis.live').uncheck(); // headless: no sound device
    // a heartbeat every 20 ms; its longest gap is the longest the UI was frozen
    await page.evaluate(() => {
      const w = window as unknown as { __beats: number[] };
      w.__beats = [performance.now()];
      setInterval(() => w.__beats.push(performance.now()), 20);
    });
    await studio.byId('speech.synthesis.run').click();
    const job = studio.byId('jobs.item').filter({ hasText: 'Synthesize LJ001-0002.wav' });
    await expect(job.last()).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
    const beats = await page.evaluate(() => (window as unknown as { __beats: number[] }).__beats);
    const total = beats[beats.length - 1] - beats[0];
    let longest = 0;
    for (let i = 1; i < beats.length; i++) longest = Math.max(longest, beats[i] - beats[i - 1]);
    console.log(
      `[wasm-responsive] synthesis ${(total / 1000).toFixed(1)} s, ` +
        `longest main-thread gap ${longest.toFixed(0)} ms`,
    );
    // relative, so a slow machine does not fail it: no freeze over a third of the run
    expect(longest).toBeLessThan(total / 3);
    expect(studio.pageErrors).toEqual([]);
  });
});
