// What a fine-tuned LM does to the classifiers fitted before it, end to end
// on the default mLSTM (SwiftShader without a GPU): an emotion fit made on
// the pretrained model shows as stale once a tiny fine-tune is kept (its bars
// hidden), stays stale over a reload, and Refit clears it; and a project
// export holding the fine-tuned weights (6.5 MB), imported into a fresh
// browser context, brings the fine-tuned model back with the same verdict.
import type { Page } from '@playwright/test';
import { expect, test, StudioPage } from '../fixtures';

async function open(studio: StudioPage): Promise<void> {
  await studio.goto();
  await studio.openTab('sentiment');
  await expect(studio.byId('panel.sentiment')).toBeVisible();
}

async function label(page: Page, text: string, positive: boolean): Promise<void> {
  await page.getByTestId('sentiment.text').fill(text);
  await page.getByTestId(positive ? 'sentiment.addPositive' : 'sentiment.addNegative').click();
}

async function tag(studio: StudioPage, text: string, tags: string[]): Promise<void> {
  await studio.byId('sentiment.text').fill(text);
  for (const t of tags) await studio.byId(`emotions.chip.${t}`).click();
  await studio.byId('emotions.add').click();
}

/** Fine-tunes 1 epoch on 4 texts cut to 12 bytes and keeps it. */
async function keepTinyFineTune(studio: StudioPage): Promise<void> {
  await studio.byId('sentiment.mode.sentiment').click();
  await label(studio.page, 'great fun', true);
  await label(studio.page, 'awful', false);
  await label(studio.page, 'a joy', true);
  await label(studio.page, 'dull mess', false);
  await studio.byId('sentiment.finetune.maxBytes').fill('12');
  await studio.byId('sentiment.finetune.epochs').fill('1');
  await studio.byId('sentiment.finetune.start').click();
  await expect(studio.byId('sentiment.finetune.review')).toBeVisible({ timeout: 200_000 });
  await studio.byId('sentiment.finetune.keep').click();
  await expect(studio.byId('sentiment.finetune.active')).toContainText('Fine-tuned model in use');
}

/** Types `text` and returns the verdict of that text (not of the one typed before). */
async function verdictOf(studio: StudioPage, text: string): Promise<string> {
  await studio.byId('sentiment.text').fill(text);
  // the heat map of this text arrives first, while the reading job is still running
  await expect(studio.byId('sentiment.heatmap')).toHaveAttribute('data-cells', `${text.length}`, {
    timeout: 80_000,
  });
  await expect(studio.byId('sentiment.reading')).toHaveCount(0, { timeout: 80_000 });
  const verdict = studio.byId('sentiment.verdict');
  await expect(verdict).toContainText(/P\(positive\) = \d+\.\d%/);
  return (await verdict.textContent()) ?? '';
}

test.describe('Classifiers and the fine-tuned mLSTM', () => {
  test('an emotion fit on the pretrained model is stale after Keep; export and import', async ({
    studio,
    browser,
  }) => {
    test.setTimeout(600_000);
    await open(studio);
    await studio.byId('sentiment.mode.emotions').click();
    await tag(studio, 'I am so angry', ['anger']);
    await tag(studio, 'so happy today', ['joy']);
    await tag(studio, 'furious and mad', ['anger']);
    await tag(studio, 'the bus at ten', []);
    await studio.byId('emotions.fit').click();
    await expect(studio.byId('emotions.macroF1')).toBeVisible({ timeout: 200_000 });
    await expect(studio.byId('emotions.stale')).toHaveCount(0);

    await keepTinyFineTune(studio);
    const stale = studio.byId('emotions.stale');
    await expect(stale).toContainText(
      /fitted on the pretrained model, but the fine-tuned model \(kept .* UTC\) is in use/,
    );
    await studio.byId('sentiment.text').fill('so happy and full of love');
    await expect(studio.byId('emotions.bars')).toHaveCount(0);
    // the sentiment classifier is the kept head, fitted on the fine-tuned model: current
    await expect(studio.byId('sentiment.stale')).toHaveCount(0);
    const before = await verdictOf(studio, 'fun');
    await expect(studio.byId('sentiment.caption')).toContainText(/The heat map is unit \d+ alone/);

    await studio.reload();
    await studio.openTab('sentiment');
    await expect(studio.byId('emotions.stale')).toContainText('fitted on the pretrained model');

    // ---- export, then import into a fresh context (no saved work at all)
    const exported = await studio.exportProject();
    expect(exported.text.length).toBeGreaterThan(6_500_000);
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    try {
      const fresh = new StudioPage(await context.newPage());
      await open(fresh);
      await expect(fresh.byId('sentiment.finetune.active')).toHaveCount(0);
      await fresh.importProject(exported.name, exported.text);
      await expect(fresh.notices('info')).toContainText('Imported');
      await expect(fresh.byId('sentiment.finetune.active')).toContainText(
        /trained on \d+ examples \(1 epoch,/,
      );
      expect(await verdictOf(fresh, 'fun')).toBe(before);
      await expect(fresh.byId('emotions.stale')).toContainText('fitted on the pretrained model');
      expect(fresh.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }

    // ---- Refit on the fine-tuned model clears the note and brings the bars back
    await studio.byId('emotions.refit').click();
    await expect(studio.byId('emotions.stale')).toHaveCount(0, { timeout: 200_000 });
    await studio.byId('sentiment.text').fill('so happy and full of love');
    await expect(studio.byId('emotions.bar.name')).toHaveCount(11, { timeout: 80_000 });
    await studio.reload();
    await studio.openTab('sentiment');
    await studio.byId('sentiment.text').fill('so happy');
    await expect(studio.byId('emotions.bar.name')).toHaveCount(11, { timeout: 80_000 });
    await expect(studio.byId('emotions.stale')).toHaveCount(0);
    expect(studio.pageErrors).toEqual([]);
  });

  test('an emotion job failure shows in Sentiment mode too, once', async ({ studio }) => {
    test.setTimeout(120_000);
    await studio.goto();
    // an emotion classifier whose width no mLSTM here has: reading a text with it fails
    await studio.page.evaluate(async () => {
      const { persist } = window.__semilab!;
      const one = {
        format: 'semilab.sentiment-classifier',
        version: 1,
        hidden: 3,
        pool: 'final',
        mean: [0, 0, 0],
        std: [1, 1, 1],
        w: [0, 0, 0],
        b: 0,
      };
      void persist.saveWork('sentiment.emotions.classifier', {
        format: 'semilab.multi-label-classifier',
        version: 1,
        labels: ['joy'],
        classifiers: [one],
        scores: { f1: [0.5], macroF1: 0.5, microF1: 0.5, jaccard: 0.5 },
        scoresKind: 'cross-validation',
        trainCount: 2,
      });
      void persist.saveWork('sentiment.labelMode', 'sentiment');
      await persist.flushWork();
    });
    await studio.reload();
    await studio.openTab('sentiment');
    await expect(studio.byId('sentiment.mode.sentiment')).toHaveAttribute('aria-pressed', 'true');
    await studio.byId('sentiment.text').fill('so happy');
    const error = studio.byId('emotions.error');
    await expect(error).toContainText(
      'Emotions: Reading the emotions failed: the emotion classifier was fitted on 3 features',
      { timeout: 80_000 },
    );
    // Emotions mode shows it in its own section, not twice
    await studio.byId('sentiment.mode.emotions').click();
    await expect(error).toHaveCount(1);
    await expect(error).not.toContainText('Emotions: Reading');
    await studio.byId('sentiment.mode.sentiment').click();
    await error.getByRole('button', { name: 'Dismiss' }).click();
    await expect(error).toHaveCount(0);
    expect(studio.pageErrors).toEqual([]);
  });
});
