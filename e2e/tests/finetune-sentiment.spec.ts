// Fine-tuning the mLSTM + head in the Sentiment panel, end to end on the
// default model (public/models/mlstm/, SwiftShader without a GPU): too few
// examples refused, a short run with a live curve, the review naming the state
// Keep keeps and the fitted classifier it replaces, Keep, the fine-tuned model
// still active after a reload, Revert; and Cancel leaves nothing behind.
import type { Page } from '@playwright/test';
import { expect, test, type StudioPage } from '../fixtures';

async function open(studio: StudioPage): Promise<void> {
  await studio.goto();
  await studio.openTab('sentiment');
  await expect(studio.byId('panel.sentiment')).toBeVisible();
}

async function label(page: Page, text: string, positive: boolean): Promise<void> {
  await page.getByTestId('sentiment.text').fill(text);
  await page.getByTestId(positive ? 'sentiment.addPositive' : 'sentiment.addNegative').click();
}

const savedKeys = (studio: StudioPage) =>
  studio.page.evaluate(async () => {
    await window.__semilab!.persist.flushWork();
    return window.__semilab!.persist.listWork();
  });

test.describe('Sentiment fine-tuning', () => {
  test('fine-tunes briefly, keeps the model across a reload, and reverts', async ({ studio }) => {
    test.setTimeout(300_000);
    await open(studio);
    await label(studio.page, 'great fun', true);
    await label(studio.page, 'awful', false);
    await studio.byId('sentiment.finetune.start').click();
    await expect(studio.byId('sentiment.finetune.error')).toContainText(
      'Fine-tuning needs at least 4 labelled examples',
    );
    await label(studio.page, 'a joy', true);
    await label(studio.page, 'dull mess', false);
    await label(studio.page, 'so good', true);
    await label(studio.page, 'boring', false);
    // a classifier fitted on all 6: the run trains its head on 4 (the rest held out)
    await studio.byId('sentiment.fit').click();
    await expect(studio.byId('sentiment.fit.accuracy')).toBeVisible({ timeout: 85_000 });
    await expect(studio.byId('sentiment.finetune.estimate')).toContainText(/About \d+ s/);
    await studio.byId('sentiment.finetune.maxBytes').fill('12');
    await studio.byId('sentiment.finetune.epochs').fill('2');
    await studio.byId('sentiment.finetune.start').click();
    await expect(studio.byId('sentiment.finetune.error')).toHaveCount(0);

    const curve = studio.byId('sentiment.finetune.curve');
    await expect(curve).toBeVisible({ timeout: 60_000 });
    const review = studio.byId('sentiment.finetune.review');
    await expect(review).toBeVisible({ timeout: 200_000 });
    // 4 training examples in one batch of 4: 1 step per epoch; evaluations at 0, 1, 2
    await expect(curve).toHaveAttribute('data-points', '2');
    await expect(curve).toHaveAttribute('data-evals', '3');
    await expect(review).toContainText(/Held-out accuracy \d+% before, \d+% best \(step \d\)/);
    const job = studio.jobs().filter({ hasText: 'Fine-tune the mLSTM' });
    await expect(job).toHaveAttribute('data-state', 'done');
    // the job card's last line names the state Keep keeps, not the last evaluation
    const [, best, step] = (await review.textContent())!.match(/(\d+)% best \(step (\d)\)/)!;
    await expect(job.getByTestId('jobs.item.note')).toContainText(
      `best state: step ${step}, held-out accuracy ${best}%`,
    );
    await expect(studio.byId('sentiment.finetune.replaces')).toHaveText(
      'Keep replaces the classifier fitted on 6 examples with a head trained on 4.',
    );
    // Keep records the run's own settings, not what the fields say now
    await studio.byId('sentiment.finetune.maxBytes').fill('40');
    await studio.byId('sentiment.finetune.epochs').fill('1');
    await studio.byId('sentiment.finetune.keep').click();
    const active = studio.byId('sentiment.finetune.active');
    await expect(active).toContainText('Fine-tuned model in use');
    await expect(active).toContainText('trained on 4 examples (2 epochs, texts cut to 12 bytes)');
    expect(await savedKeys(studio)).toContain('sentiment.finetuned');

    await studio.reload();
    await studio.openTab('sentiment');
    await expect(studio.byId('sentiment.finetune.active')).toContainText(
      'trained on 4 examples (2 epochs',
    );
    // the fine-tuned LM and head read a text: heat map and verdict
    await studio.byId('sentiment.text').fill('fun');
    await expect(studio.byId('sentiment.heatmap')).toHaveAttribute('data-cells', '3', {
      timeout: 80_000,
    });
    await studio.byId('sentiment.finetune.revert').click();
    await expect(studio.byId('sentiment.finetune.active')).toHaveCount(0);
    expect(await savedKeys(studio)).not.toContain('sentiment.finetuned');
    await studio.reload();
    await studio.openTab('sentiment');
    await expect(studio.byId('sentiment.labelled.item')).toHaveCount(6);
    await expect(studio.byId('sentiment.finetune.active')).toHaveCount(0);
    expect(studio.pageErrors).toEqual([]);
  });

  test('Cancel stops a run and leaves the pretrained model in use', async ({ studio }) => {
    test.setTimeout(200_000);
    await open(studio);
    for (const [text, pos] of [
      ['great fun', true],
      ['awful', false],
      ['a joy', true],
      ['dull mess', false],
    ] as const) {
      await label(studio.page, text, pos);
    }
    await studio.byId('sentiment.finetune.epochs').fill('20');
    await studio.byId('sentiment.finetune.maxBytes').fill('1000');
    await expect(studio.byId('sentiment.finetune.optionsError')).toContainText(
      'Bytes per text must be a whole number from 8 to 512. The settings are unchanged.',
    );
    // a refused value blocks the run until it is fixed
    await expect(studio.byId('sentiment.finetune.start')).toBeDisabled();
    await studio.byId('sentiment.finetune.maxBytes').fill('10');
    await expect(studio.byId('sentiment.finetune.optionsError')).toHaveCount(0);
    await studio.byId('sentiment.finetune.start').click();
    await expect(studio.byId('sentiment.finetune.progress')).toContainText(/step [1-9]\d* of 20/, {
      timeout: 120_000,
    });
    await studio.byId('sentiment.finetune.cancel').click();
    await expect(studio.jobs().filter({ hasText: 'Fine-tune the mLSTM' })).toHaveAttribute(
      'data-state',
      'cancelled',
    );
    await expect(studio.byId('sentiment.finetune.start')).toBeEnabled();
    await expect(studio.byId('sentiment.finetune.review')).toHaveCount(0);
    await expect(studio.byId('sentiment.finetune.active')).toHaveCount(0);
    expect(await savedKeys(studio)).not.toContain('sentiment.finetuned');
    expect(studio.pageErrors).toEqual([]);
  });
});
