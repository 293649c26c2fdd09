// Sentiment panel, end to end on the default mLSTM (public/models/mlstm/):
// the per-byte heat map, the typed text and its heat map restored after a
// reload, labelling and fitting, the labelled set restored after a reload,
// bad CSVs and a 1 MB paste refused with the set intact (its banner gone once
// the text fits), and generation streamed byte by byte.
import type { Page } from '@playwright/test';
import { expect, test, type StudioPage } from '../fixtures';

const bytesOf = (s: string) => Buffer.byteLength(s, 'utf8');

async function open(studio: StudioPage): Promise<void> {
  await studio.goto();
  await studio.openTab('sentiment');
  await expect(studio.byId('panel.sentiment')).toBeVisible();
}

async function label(page: Page, text: string, positive: boolean): Promise<void> {
  await page.getByTestId('sentiment.text').fill(text);
  await page.getByTestId(positive ? 'sentiment.addPositive' : 'sentiment.addNegative').click();
}

/** The text as written to IndexedDB by saveWork (not a pending save). */
const storedText = (studio: StudioPage) =>
  studio.page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('semilab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction('work').objectStore('work').get('sentiment.text');
          get.onsuccess = () => {
            db.close();
            resolve(get.result);
          };
          get.onerror = () => reject(get.error);
        };
      }),
  );

test.describe('Sentiment panel', () => {
  test('shows a heat map with one cell per byte and next-byte predictions', async ({ studio }) => {
    await open(studio);
    const text = 'Très bon film!';
    await studio.byId('sentiment.text').fill(text);
    const heatmap = studio.byId('sentiment.heatmap');
    await expect(heatmap).toHaveAttribute('data-cells', String(bytesOf(text)), { timeout: 80_000 });
    await expect(studio.byId('sentiment.heatmap.cell')).toHaveCount(bytesOf(text));
    await expect(studio.byId('sentiment.legend')).toBeVisible();
    await expect(studio.byId('sentiment.next.item')).toHaveCount(5, { timeout: 80_000 });
    expect(studio.pageErrors).toEqual([]);
  });

  test('brings the typed text and its heat map back after a reload', async ({ studio }) => {
    await open(studio);
    const text = 'A warm, funny film';
    await studio.byId('sentiment.text').fill(text);
    // saved by itself (debounced), without a flush from the test
    await expect.poll(() => storedText(studio), { timeout: 10_000 }).toBe(text);
    await studio.reload();
    await studio.openTab('sentiment');
    await expect(studio.byId('sentiment.text')).toHaveValue(text);
    await expect(studio.byId('sentiment.heatmap')).toHaveAttribute(
      'data-cells',
      String(bytesOf(text)),
      { timeout: 80_000 },
    );
    expect(studio.pageErrors).toEqual([]);
  });

  test('fits on 4 labelled examples and restores the set after a reload', async ({ studio }) => {
    await open(studio);
    await label(studio.page, 'great fun', true);
    await label(studio.page, 'a joy', true);
    await label(studio.page, 'awful', false);
    await label(studio.page, 'dull mess', false);
    await expect(studio.byId('sentiment.labelled.item')).toHaveCount(4);
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

    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.openTab('sentiment');
    const items = studio.byId('sentiment.labelled.item');
    await expect(items).toHaveCount(4);
    await expect(items.nth(0)).toContainText('great fun');
    await expect(items.nth(3)).toHaveAttribute('data-label', '0');
    await expect(studio.byId('sentiment.fit.accuracy')).toBeVisible();
    expect(studio.pageErrors).toEqual([]);
  });

  test('refuses bad CSVs and a 1 MB paste with a message, keeping the labelled set', async ({
    studio,
  }) => {
    await open(studio);
    await label(studio.page, 'lovely', true);
    await label(studio.page, 'boring', false);
    const items = studio.byId('sentiment.labelled.item');
    await expect(items).toHaveCount(2);
    const csv = studio.byId('sentiment.csv');
    const error = studio.byId('sentiment.error');

    await csv.setInputFiles({
      name: 'scores.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('score,sentence\n1,good\n'),
    });
    await expect(error).toContainText("scores.csv has no 'label' column");
    await expect(error).toContainText('The labelled set is unchanged');
    await expect(items).toHaveCount(2);

    await csv.setInputFiles({
      name: 'stars.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('label,sentence\n1,good\n5,great\n'),
    });
    await expect(error).toContainText("stars.csv, line 3: label must be 0 or 1 (got '5')");
    await expect(items).toHaveCount(2);

    const latin1 = Buffer.concat([
      Buffer.from('label,sentence\n1,caf'),
      Buffer.from([0xe9, 0x0a]),
      Buffer.from('0,\n0,meh\n'),
    ]);
    await csv.setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
    const info = studio.byId('sentiment.info');
    await expect(info).toContainText('Added 2 examples from latin1.csv');
    await expect(info).toContainText('1 empty rows skipped');
    await expect(info).toContainText('1 rows are not valid UTF-8');
    await expect(items).toHaveCount(4);
    await expect(items.nth(2)).toContainText('caf\ufffd');

    await studio.byId('sentiment.text').fill('x'.repeat(1 << 20));
    await expect(error).toContainText('The text is 1,048,576 bytes; only the first 2,000');
    expect(await studio.byId('sentiment.text').inputValue()).toHaveLength(2000);
    await expect(items).toHaveCount(4);
    // the banner goes as soon as the text fits again
    await studio.byId('sentiment.text').fill('short again');
    await expect(error).toHaveCount(0);
    await studio.byId('sentiment.text').fill('');
    await studio.byId('sentiment.addPositive').click();
    await expect(error).toContainText('an empty text cannot be labelled');
    await expect(items).toHaveCount(4);
    expect(studio.pageErrors).toEqual([]);
  });

  test('streams 20 generated bytes into the page', async ({ studio }) => {
    await open(studio);
    await studio.byId('sentiment.gen.prefix').fill('The film');
    await studio.byId('sentiment.gen.steps').fill('20');
    const output = studio.byId('sentiment.gen.output');
    // every byte count the output shows, seen by a MutationObserver
    await studio.page.evaluate(() => {
      const el = document.querySelector('[data-testid="sentiment.gen.output"]')!;
      const seen: number[] = [];
      (window as unknown as { __genCounts: number[] }).__genCounts = seen;
      new MutationObserver(() => seen.push(Number(el.getAttribute('data-bytes')))).observe(el, {
        attributes: true,
        attributeFilter: ['data-bytes'],
      });
    });
    await studio.byId('sentiment.gen.start').click();
    await expect(output).toHaveAttribute('data-bytes', '20', { timeout: 85_000 });
    await expect(output).toHaveAttribute('data-running', 'false');
    const counts = await studio.page.evaluate(
      () => (window as unknown as { __genCounts: number[] }).__genCounts,
    );
    // streamed: the page showed many partial counts on the way to 20
    expect(new Set(counts.filter((c) => c > 0 && c < 20)).size).toBeGreaterThan(10);
    expect(studio.pageErrors).toEqual([]);
  });
});
