import { expect, test } from '../fixtures';

test('saved work, typed arrays included, survives a reload', async ({ studio }) => {
  await studio.goto();
  await expect(studio.savedCount).toHaveText('0 saved items');

  await studio.page.evaluate(async () => {
    const { persist } = window.__semilab!;
    void persist.saveWork('test.take', { name: 'first', audio: new Float32Array([0.5, -0.25]) });
    // a later save of the same key within the debounce window wins
    void persist.saveWork('test.take', {
      name: 'second',
      audio: new Float32Array([0.125, -1, 3.5]),
      raw: new Uint8Array([1, 2, 255]).buffer,
    });
    await persist.flushWork();
  });
  await expect(studio.savedCount).toHaveText('1 saved item');

  await studio.reload();
  await expect(studio.savedCount).toHaveText('1 saved item');
  const back = await studio.page.evaluate(async () => {
    const { persist } = window.__semilab!;
    const value = (await persist.loadWork('test.take')) as {
      name: string;
      audio: Float32Array;
      raw: ArrayBuffer;
    };
    return {
      keys: await persist.listWork(),
      name: value.name,
      audioType: value.audio.constructor.name,
      audio: Array.from(value.audio),
      rawType: value.raw.constructor.name,
      raw: Array.from(new Uint8Array(value.raw)),
    };
  });
  expect(back).toEqual({
    keys: ['test.take'],
    name: 'second',
    audioType: 'Float32Array',
    audio: [0.125, -1, 3.5],
    rawType: 'ArrayBuffer',
    raw: [1, 2, 255],
  });
});

test('a debounced save is written without an explicit flush', async ({ studio }) => {
  await studio.goto();
  await studio.page.evaluate(() => window.__semilab!.persist.saveWork('test.auto', 42));
  // saveWork resolved, so it is in IndexedDB; the header follows
  await expect(studio.savedCount).toHaveText('1 saved item');
  await studio.reload();
  const value = await studio.page.evaluate(() => window.__semilab!.persist.loadWork('test.auto'));
  expect(value).toBe(42);
});
