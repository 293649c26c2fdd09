import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  decodeProject,
  decodeValue,
  encodeProject,
  encodeValue,
} from './projectCodec';

async function roundTrip(value: unknown): Promise<unknown> {
  return decodeValue(JSON.parse(JSON.stringify(await encodeValue(value))));
}

describe('projectCodec', () => {
  it('round-trips base64 for every byte value and lengths 0..5', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    for (let n = 0; n < 6; n++) {
      const bytes = all.subarray(250, 250 + n);
      // Node's Buffer is an independent base64 implementation
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('keeps Float32Array bits and dtype, from a view into a bigger buffer', async () => {
    const backing = new Float32Array([9, 1.5, -0, NaN, 3.4028234663852886e38, 1e-45, 7]);
    const view = backing.subarray(1, 6);
    const back = (await roundTrip(view)) as Float32Array;
    expect(back).toBeInstanceOf(Float32Array);
    expect(back.length).toBe(5);
    expect(new Uint32Array(back.buffer)).toEqual(new Uint32Array(view.slice().buffer));
  });

  it('round-trips nested structured-clone data', async () => {
    const value = {
      name: 'take 1',
      n: 3,
      flags: [true, false, null],
      specials: [NaN, Infinity, -Infinity, -0, undefined],
      big: 12345678901234567890n,
      when: new Date('2026-01-02T03:04:05.000Z'),
      buf: new Uint8Array([1, 2, 255]).buffer,
      ints: new Int16Array([-32768, 0, 32767]),
      doubles: new Float64Array([Math.PI]),
      map: new Map<unknown, unknown>([
        ['a', new Uint32Array([4])],
        [2, { deep: ['x'] }],
      ]),
      set: new Set(['p', 'q']),
      tricky: { $t: 'Float32Array', b64: 'not really' },
    };
    const back = (await roundTrip(value)) as typeof value;
    expect(back.name).toBe('take 1');
    expect(back.flags).toEqual([true, false, null]);
    expect(back.specials[0]).toBeNaN();
    expect(back.specials.slice(1, 3)).toEqual([Infinity, -Infinity]);
    expect(Object.is(back.specials[3], -0)).toBe(true);
    expect(back.specials.length).toBe(5);
    expect(back.specials[4]).toBeUndefined();
    expect(back.big).toBe(12345678901234567890n);
    expect(back.when.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(back.buf).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(back.buf)]).toEqual([1, 2, 255]);
    expect(back.ints).toEqual(new Int16Array([-32768, 0, 32767]));
    expect(back.doubles[0]).toBe(Math.PI);
    expect(back.map.get('a')).toEqual(new Uint32Array([4]));
    expect(back.map.get(2)).toEqual({ deep: ['x'] });
    expect([...back.set]).toEqual(['p', 'q']);
    expect(back.tricky).toEqual({ $t: 'Float32Array', b64: 'not really' });
  });

  it('round-trips a Blob with its type', async () => {
    const blob = new Blob([new Uint8Array([82, 73, 70, 70])], { type: 'audio/wav' });
    const back = (await roundTrip(blob)) as Blob;
    expect(back.type).toBe('audio/wav');
    expect([...new Uint8Array(await back.arrayBuffer())]).toEqual([82, 73, 70, 70]);
  });

  it('refuses values that cannot be stored, naming the path', async () => {
    await expect(encodeValue({ a: [1, () => 2] }, 'speech.take')).rejects.toThrow(
      'speech.take.a[1] cannot be saved (a function)',
    );
    class Custom {}
    await expect(encodeValue({ c: new Custom() }, 'k')).rejects.toThrow('k.c cannot be saved');
  });

  it('decodes a whole project and rejects damaged files with a clear message', async () => {
    const file = await encodeProject([
      ['speech.settings', { sigma: 0.6 }],
      ['speech.audio', new Float32Array([0.25, -0.5])],
    ]);
    const good = decodeProject(JSON.stringify(file));
    expect(good.ok).toBe(true);
    if (good.ok) {
      expect(good.value[0]).toEqual(['speech.settings', { sigma: 0.6 }]);
      expect(good.value[1]![1]).toEqual(new Float32Array([0.25, -0.5]));
    }

    const bad = (text: string): string => {
      const result = decodeProject(text);
      return result.ok ? 'ok' : result.error;
    };
    expect(bad('{"format": "semilab-project", "version": 1, "items": [')).toMatch(/not valid JSON/);
    expect(bad('[1,2]')).toMatch(/expected a JSON object/);
    expect(bad('{"format": "other"}')).toMatch(/expected format 'semilab-project', got "other"/);
    expect(bad('{"format": "semilab-project", "version": 99, "items": []}')).toMatch(
      /unsupported project version/,
    );
    const damaged = structuredClone(file);
    (damaged.items[1]!.value as { b64: string }).b64 = 'AAAAAAA'; // 5 bytes
    expect(bad(JSON.stringify(damaged))).toMatch(
      /damaged: speech.audio: Float32Array data has 5 bytes, not a multiple of 4/,
    );
    const unknownTag = { ...file, items: [{ key: 'x', value: { $t: 'Float16Array', b64: '' } }] };
    expect(bad(JSON.stringify(unknownTag))).toMatch(/unknown type tag 'Float16Array'/);
    const dup = { ...file, items: [file.items[0], file.items[0]] };
    expect(bad(JSON.stringify(dup))).toMatch(/duplicate key 'speech.settings'/);
  });
});
