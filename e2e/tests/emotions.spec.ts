// Emotion tags in the Sentiment panel, end to end on the default mLSTM:
// tag texts by hand, load a few rows of the SemEval E-c training file (cut at
// run time from ../shared/data, never copied into the repository), fit one
// classifier per emotion, read the emotion bars of a typed text, and keep
// tags and classifier over a reload; bad CSVs leave the tagged set unchanged.
import { existsSync, readFileSync } from 'node:fs';
import { expect, test, type StudioPage } from '../fixtures';

const SEMEVAL_TRAIN = '../shared/data/semeval/train.csv';

async function openEmotions(studio: StudioPage): Promise<void> {
  await studio.goto();
  await studio.openTab('sentiment');
  await expect(studio.byId('panel.sentiment')).toBeVisible();
  await studio.byId('sentiment.mode.emotions').click();
  await expect(studio.byId('emotions.add')).toBeVisible();
}

async function tag(studio: StudioPage, text: string, tags: string[]): Promise<void> {
  await studio.byId('sentiment.text').fill(text);
  for (const t of tags) await studio.byId(`emotions.chip.${t}`).click();
  await studio.byId('emotions.add').click();
}

/** The header and the `count` shortest unquoted records of the first 300 lines. */
function semevalExcerpt(count: number): string {
  const lines = readFileSync(SEMEVAL_TRAIN, 'utf8').split('\n');
  const rows = lines
    .slice(1, 300)
    .filter((l) => !l.includes('"') && l.split(',').length === 14)
    .sort((a, b) => a.length - b.length)
    .slice(0, count);
  return [lines[0], ...rows].join('\n') + '\n';
}

test.describe('Emotion tags', () => {
  test.skip(!existsSync(SEMEVAL_TRAIN), 'needs ../shared/data/semeval');

  test('tags by hand and from a CSV, fits, shows emotion bars, and survives a reload', async ({
    studio,
  }) => {
    test.setTimeout(600_000);
    await openEmotions(studio);
    await tag(studio, 'I am so angry and disgusted', ['anger', 'disgust']);
    await tag(studio, 'what a lovely happy day', ['joy', 'love']);
    await tag(studio, 'the bus comes at ten', []);
    const items = studio.byId('emotions.item');
    await expect(items).toHaveCount(3);
    await expect(items.nth(0)).toHaveAttribute('data-tags', 'anger disgust');
    await expect(items.nth(2)).toHaveAttribute('data-tags', '');

    await studio.byId('emotions.csv').setInputFiles({
      name: 'semeval-excerpt.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(semevalExcerpt(4)),
    });
    await expect(studio.byId('emotions.info')).toContainText(
      /Added 4 examples from semeval-excerpt\.csv: 4 texts, 11 labels \(anger \d+/,
    );
    await expect(items).toHaveCount(7);

    await studio.byId('emotions.fit').click();
    await expect(studio.byId('emotions.macroF1')).toContainText(
      /Cross-validated macro F1 \d\.\d{3}, Jaccard \d\.\d{3}/,
      { timeout: 540_000 },
    );
    await expect(studio.byId('emotions.f1').locator('td')).toHaveCount(11);
    await expect(studio.jobs().filter({ hasText: 'Fit emotion classifiers' })).toHaveAttribute(
      'data-state',
      'done',
    );
    await studio.byId('sentiment.text').fill('so happy and full of love');
    await expect(studio.byId('emotions.bar.name')).toHaveCount(11, { timeout: 120_000 });
    await expect(studio.byId('emotions.bar.name').nth(4)).toHaveText('joy');
    const p = await studio.byId('emotions.bar.p').first().textContent();
    expect(p).toMatch(/^\d{1,3}\.\d%$/);

    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.openTab('sentiment');
    // the labelling mode comes back as it was left
    await expect(studio.byId('sentiment.mode.emotions')).toHaveAttribute('aria-pressed', 'true');
    await expect(items).toHaveCount(7);
    await expect(items.nth(1)).toHaveAttribute('data-tags', 'joy love');
    await expect(items.nth(0)).toContainText('I am so angry');
    await expect(studio.byId('emotions.macroF1')).toBeVisible();
    // the binary set is separate and still empty
    await studio.byId('sentiment.mode.sentiment').click();
    await expect(studio.byId('sentiment.labelled.item')).toHaveCount(0);
    await studio.byId('sentiment.text').fill('a sad and gloomy night');
    await expect(studio.byId('emotions.bar.name')).toHaveCount(11, { timeout: 120_000 });
    expect(studio.pageErrors).toEqual([]);
  });

  test('refuses a CSV without emotion columns or with a label 2, keeping the set', async ({
    studio,
  }) => {
    await openEmotions(studio);
    await tag(studio, 'so scared of the dark', ['fear']);
    const items = studio.byId('emotions.item');
    await expect(items).toHaveCount(1);
    const csv = studio.byId('emotions.csv');
    const error = studio.byId('emotions.error');

    await csv.setInputFiles({
      name: 'plain.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('ID,Tweet\n1,hello\n'),
    });
    await expect(error).toContainText('plain.csv has no label columns');
    await expect(error).toContainText('The tagged set is unchanged');
    await expect(items).toHaveCount(1);

    const header = readFileSync(SEMEVAL_TRAIN, 'utf8').split('\n')[0];
    await csv.setInputFiles({
      name: 'two.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `${header}\n0,x-1,fine day,0,0,0,0,1,0,0,0,0,0,0\n1,x-2,hm,2,0,0,0,0,0,0,0,0,0,0\n`,
      ),
    });
    await expect(error).toContainText("two.csv, line 3: 'anger' must be 0 or 1 (got '2')");
    await expect(items).toHaveCount(1);

    await csv.setInputFiles({
      name: 'stars.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Tweet,anger,stars\nhi,0,1\n'),
    });
    await expect(error).toContainText("columns 'stars' are not emotions");
    await expect(items).toHaveCount(1);

    // binary SST data: the page says where it goes, not which CLI command fits it
    await csv.setInputFiles({
      name: 'sst.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('label,sentence\n1,good\n0,bad\n'),
    });
    await expect(error).toContainText('sst.csv looks like binary sentiment data');
    await expect(error).toContainText('switch to Sentiment mode');
    await expect(error).not.toContainText('semilab');
    await expect(items).toHaveCount(1);
    await expect(studio.byId('emotions.count')).toHaveText('1 tagged examples');
    expect(studio.pageErrors).toEqual([]);
  });
});
