import { expect, test, type StudioPage } from '../fixtures';

async function seed(studio: StudioPage): Promise<void> {
  await studio.page.evaluate(async () => {
    const { persist } = window.__semilab!;
    void persist.saveWork('test.settings', { sigma: 0.6, names: ['a', 'b'], at: new Date(0) });
    void persist.saveWork('test.audio', new Float32Array([0.1, -0.2, 1e-40, NaN]));
    await persist.flushWork();
  });
  await expect(studio.savedCount).toHaveText('2 saved items');
}

/** Everything saved, in a JSON-comparable form (NaN shown as a string). */
function snapshot(studio: StudioPage) {
  return studio.page.evaluate(async () => {
    const { persist } = window.__semilab!;
    const out: Record<string, unknown> = {};
    for (const key of await persist.listWork()) {
      const value = await persist.loadWork(key);
      out[key] =
        value instanceof Float32Array
          ? { Float32Array: Array.from(value, (v) => (Number.isNaN(v) ? 'NaN' : v)) }
          : JSON.parse(JSON.stringify(value));
    }
    return out;
  });
}

test('export then import restores exactly the exported work', async ({ studio }) => {
  await studio.goto();
  await seed(studio);
  const before = await snapshot(studio);

  const exported = await studio.exportProject();
  expect(exported.name).toMatch(/^semilab-project-\d{4}-\d{2}-\d{2}\.json$/);
  const file = JSON.parse(exported.text) as {
    format: string;
    items: Array<{ key: string; value: unknown }>;
  };
  expect(file.format).toBe('semilab-project');
  expect(file.items.map((i) => i.key).sort()).toEqual(['test.audio', 'test.settings']);
  const audioItem = file.items.find((i) => i.key === 'test.audio');
  expect(audioItem?.value).toMatchObject({ $t: 'Float32Array' });

  // change the project after the export: edit one item, add another
  await studio.page.evaluate(async () => {
    const { persist } = window.__semilab!;
    void persist.saveWork('test.settings', { sigma: 0.9 });
    void persist.saveWork('test.extra', 'added later');
    await persist.flushWork();
  });
  await expect(studio.savedCount).toHaveText('3 saved items');

  await studio.importProject(exported.name, exported.text);
  await expect(studio.notices('info')).toContainText('Imported 2 saved items');
  await expect(studio.savedCount).toHaveText('2 saved items');
  expect(await snapshot(studio)).toEqual(before);
  const audio = await studio.page.evaluate(async () => {
    const value = (await window.__semilab!.persist.loadWork('test.audio')) as Float32Array;
    return { type: value.constructor.name, bits: Array.from(new Uint32Array(value.buffer)) };
  });
  // bit-exact, NaN and a float32 denormal included
  expect(audio.type).toBe('Float32Array');
  expect(audio.bits).toEqual([0x3dcccccd, 0xbe4ccccd, 0x000116c2, 0x7fc00000]);
});

test('a corrupt or foreign project file shows an error and changes nothing', async ({ studio }) => {
  await studio.goto();
  await seed(studio);
  const before = await snapshot(studio);
  const good = JSON.parse((await studio.exportProject()).text) as {
    items: Array<{ key: string; value: { b64?: string } }>;
  };

  // damaged binary data in the second item: the first item must not be written either
  good.items.find((i) => i.key === 'test.audio')!.value.b64 = 'AAAAAAA';
  good.items.unshift({ key: 'test.new', value: { b64: 'x' } });
  await studio.importProject('damaged.json', JSON.stringify(good));
  const error = studio.notices('error');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText('Import failed: project file is damaged: test.audio');
  await expect(error).toContainText('Nothing was changed');
  expect(await snapshot(studio)).toEqual(before);

  await error.getByTestId('errors.item.dismiss').click();
  await expect(studio.notices()).toHaveCount(0);

  await studio.importProject('truncated.json', '{"format": "semilab-project", "items": [');
  await expect(studio.notices('error')).toContainText('not valid JSON');
  await studio.importProject('other.json', '{"name": "some other app"}');
  await expect(studio.notices('error').last()).toContainText("expected format 'semilab-project'");
  expect(await snapshot(studio)).toEqual(before);
  await expect(studio.savedCount).toHaveText('2 saved items');
});

test('declining the import confirmation changes nothing', async ({ studio }) => {
  await studio.goto();
  await seed(studio);
  const before = await snapshot(studio);
  const exported = await studio.exportProject();
  await studio.page.evaluate(async () => {
    await window.__semilab!.persist.saveWork('test.extra', 'added later');
  });
  await expect(studio.savedCount).toHaveText('3 saved items');
  const during = await snapshot(studio);
  studio.declineNextDialog();
  await studio.importProject(exported.name, exported.text);
  await expect(studio.notices('info')).toContainText('Import cancelled; nothing was changed');
  expect(studio.lastDialog).toMatch(/replaces all 3 saved items/);
  expect(await snapshot(studio)).toEqual(during);
  expect(during).not.toEqual(before);
});
