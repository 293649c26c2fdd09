import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from './npy';

const PYTHON = '/usr/bin/python3';
const havePython = existsSync(PYTHON);

describe('npy', () => {
  it('round-trips shape and values, with a 64-byte aligned header', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i * 0.5 - 3.25);
    const bytes = writeNpy(data, [2, 3, 4]);
    const headerEnd = bytes.indexOf(0x0a) + 1;
    expect(headerEnd % 64).toBe(0);
    const r = readNpy(bytes);
    expect(r.ok && r.value.shape).toEqual([2, 3, 4]);
    expect(r.ok && Array.from(r.value.data)).toEqual(Array.from(data));
  });

  it('writes 1-D shapes as (n,) and refuses a size mismatch', () => {
    const bytes = writeNpy(Float32Array.of(1, 2), [2]);
    expect(new TextDecoder().decode(bytes.subarray(10, 80))).toContain("'shape': (2,)");
    expect(() => writeNpy(Float32Array.of(1), [2])).toThrow(/expected 2, got 1/);
  });

  it('refuses non-npy bytes, other dtypes and cut-off data', () => {
    expect(readNpy(new Uint8Array([1, 2, 3]))).toMatchObject({ ok: false });
    const f8 = writeNpy(Float32Array.of(1), [1]);
    f8.set(new TextEncoder().encode('<f8'), f8.indexOf(0x3c)); // '<f4' -> '<f8'
    expect(readNpy(f8)).toEqual({ ok: false, error: expect.stringMatching(/got <f8/) });
    expect(readNpy(writeNpy(Float32Array.of(1, 2, 3, 4), [4]).slice(0, -4))).toMatchObject({
      ok: false,
    });
  });

  it.skipIf(!havePython)('is read by numpy.load and reads what numpy.save writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const ours = join(dir, 'ours.npy');
    writeFileSync(ours, writeNpy(Float32Array.of(1.5, -2, 3.25, 0, 7, 8), [2, 3]));
    const theirs = join(dir, 'theirs.npy');
    const script =
      'import numpy as np, sys\n' +
      'a = np.load(sys.argv[1]); print(a.shape, a.dtype, a.tolist())\n' +
      'np.save(sys.argv[2], np.arange(12, dtype=np.float32).reshape(3, 4) / 4)\n';
    const printed = execFileSync(PYTHON, ['-c', script, ours, theirs]).toString().trim();
    expect(printed).toBe('(2, 3) float32 [[1.5, -2.0, 3.25], [0.0, 7.0, 8.0]]');
    const r = readNpy(new Uint8Array(readFileSync(theirs)));
    expect(r.ok && r.value.shape).toEqual([3, 4]);
    expect(r.ok && Array.from(r.value.data)).toEqual(Array.from({ length: 12 }, (_, i) => i / 4));
  });
});
