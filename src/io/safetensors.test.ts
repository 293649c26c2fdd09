import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, writeSafetensors } from './safetensors';

const hasTorch =
  spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe('safetensors', () => {
  it('round-trips named f32 arrays and metadata', () => {
    const bytes = writeSafetensors(
      {
        'b.weight': { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) },
        a: { shape: [1], data: Float32Array.from([0.25]) },
      },
      { step: '100' },
    );
    const parsed = parseSafetensors(bytes);
    if (!parsed.ok) throw new Error(parsed.error);
    expect([...parsed.value.tensors.keys()]).toEqual(['a', 'b.weight']);
    expect(Array.from(parsed.value.tensors.get('b.weight')!.data)).toEqual([1, 2, 3, 4, 5, -6.5]);
    expect(parsed.value.tensors.get('b.weight')!.shape).toEqual([2, 3]);
    expect(parsed.value.metadata.step).toBe('100');
  });

  it('reads a file written by the training side (training/common/safetensors_io.py)', () => {
    if (!hasTorch) return;
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const path = join(dir, 'w.safetensors');
    const script = [
      'import sys; sys.path.insert(0, "training")',
      'import numpy as np',
      'from common.safetensors_io import save_safetensors',
      `save_safetensors(${JSON.stringify(path)}, {"w": np.arange(6, dtype=np.float32).reshape(3, 2) / 4}, {"k": 1})`,
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const parsed = parseSafetensors(readFileSync(path));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.tensors.get('w')!.shape).toEqual([3, 2]);
    expect(Array.from(parsed.value.tensors.get('w')!.data)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('widens F16 and BF16 to f32', () => {
    const header = JSON.stringify({
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
      b: { dtype: 'BF16', shape: [1], data_offsets: [6, 8] },
    });
    const hb = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + hb.length + 8);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(hb.length), true);
    bytes.set(hb, 8);
    const d = 8 + hb.length;
    view.setUint16(d, 0x3c00, true); // 1.0
    view.setUint16(d + 2, 0xc000, true); // -2.0
    view.setUint16(d + 4, 0x3555, true); // 0.333251953125
    view.setUint16(d + 6, 0x3fc0, true); // bf16 1.5
    const parsed = parseSafetensors(bytes);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(Array.from(parsed.value.tensors.get('h')!.data)).toEqual([1, -2, 0.333251953125]);
    expect(Array.from(parsed.value.tensors.get('b')!.data)).toEqual([1.5]);
  });

  it('explains a truncated file, a bad header and an unsupported dtype', () => {
    const good = writeSafetensors({ w: { shape: [4], data: new Float32Array(4) } });
    const truncated = parseSafetensors(good.subarray(0, good.length - 3));
    expect(truncated.ok || truncated.error).toMatch(/truncated/);
    expect((parseSafetensors(new Uint8Array([1, 2, 3])) as { error: string }).error).toMatch(
      /too short/,
    );
    const garbage = new Uint8Array(32);
    new DataView(garbage.buffer).setBigUint64(0, 10n, true);
    expect((parseSafetensors(garbage) as { error: string }).error).toMatch(/not valid JSON/);
    const i64 = new TextEncoder().encode(
      JSON.stringify({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }),
    );
    const file = new Uint8Array(8 + i64.length + 8);
    new DataView(file.buffer).setBigUint64(0, BigInt(i64.length), true);
    file.set(i64, 8);
    expect((parseSafetensors(file) as { error: string }).error).toMatch(/dtype I64/);
  });
});
