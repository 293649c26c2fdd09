// An imported project whose items the studio cannot use is refused whole, with the item
// and row named, instead of a store quietly dropping the user's labelled set.
import { expect, test } from '../fixtures';

type ProjectFile = { items: Array<{ key: string; value: unknown }> };

test('a project with a damaged labelled set is refused and changes nothing', async ({ studio }) => {
  await studio.goto();
  await studio.page.evaluate(async () => {
    const { persist } = window.__semilab!;
    const bytes = (text: string) => new TextEncoder().encode(text);
    void persist.saveWork('sentiment.labelled', [
      { label: 1, bytes: bytes('a warm, funny film') },
      { label: 0, bytes: bytes('dull and far too long') },
      { label: 1, bytes: bytes('a delight') },
    ]);
    void persist.saveWork('sentiment.emotions.labelled', [
      { tags: ['joy'], bytes: bytes('what a day!') },
    ]);
    await persist.flushWork();
  });
  const exported = await studio.exportProject();
  // importing the intact file loads the three examples into the panel
  await studio.importProject('intact.json', exported.text);
  await expect(studio.notices('info')).toContainText('Imported 2 saved items');
  await studio.openTab('sentiment');
  await expect(studio.byId('sentiment.labelled.item')).toHaveCount(3);

  const file = JSON.parse(exported.text) as ProjectFile;
  const labelled = file.items.find((i) => i.key === 'sentiment.labelled')!;
  (labelled.value as Array<{ label: unknown }>)[1].label = 7;
  await studio.importProject('damaged.json', JSON.stringify(file));
  const error = studio.notices('error');
  await expect(error).toContainText(
    "Import failed: 'sentiment.labelled' row 2 is not a text's bytes with a label of 0 or 1",
  );
  await expect(error).toContainText('Nothing was changed');
  await expect(studio.byId('sentiment.labelled.item')).toHaveCount(3);

  const tagged = JSON.parse(exported.text) as ProjectFile;
  const emotions = tagged.items.find((i) => i.key === 'sentiment.emotions.labelled')!;
  (emotions.value as Array<{ tags: string[] }>)[0].tags = ['glee'];
  await studio.importProject('unknown-tag.json', JSON.stringify(tagged));
  await expect(studio.notices('error').last()).toContainText(
    "'sentiment.emotions.labelled' row 1 is not a text's bytes with known emotion tags",
  );
  await studio.reload();
  await studio.openTab('sentiment');
  await expect(studio.byId('sentiment.labelled.item')).toHaveCount(3);
  expect(studio.pageErrors).toEqual([]);
});

test('damaged vocoder weights and settings are refused by name; unknown items are named', async ({
  studio,
}) => {
  await studio.goto();
  const exported = await studio.exportProject();
  const file = JSON.parse(exported.text) as ProjectFile;
  const config = await studio.page.evaluate(async () =>
    (await fetch('/models/waveglow/config.json')).text(),
  );
  // a kept vocoder whose weights were cut short: 16 bytes of a safetensors header
  const truncated = { $t: 'Uint8Array', b64: 'AAEAAAAAAAB7Il9fbWV0YWRh' };
  const withVocoder = {
    ...file,
    items: [
      ...file.items,
      { key: 'speech.vocoder', value: { label: 'cut', configText: config, weights: truncated } },
    ],
  };
  await studio.importProject('cut-vocoder.json', JSON.stringify(withVocoder));
  await expect(studio.notices('error').last()).toContainText(
    "Import failed: 'speech.vocoder' is not a usable fine-tuned vocoder: " +
      'WaveGlow weights: safetensors',
  );

  const badDenoise = {
    ...file,
    items: [...file.items, { key: 'speech.denoise', value: { strength: 'lots' } }],
  };
  await studio.importProject('bad-denoise.json', JSON.stringify(badDenoise));
  await expect(studio.notices('error').last()).toContainText(
    "'speech.denoise' has a denoise strength of lots (expected 0 to 0.5)",
  );

  const extra = {
    ...file,
    items: [...file.items, { key: 'speech.bogus', value: 1 }],
  };
  await studio.importProject('extra.json', JSON.stringify(extra));
  await expect(studio.notices('info').last()).toContainText(
    "This version does not use 'speech.bogus'",
  );
  expect(studio.pageErrors).toEqual([]);
});
