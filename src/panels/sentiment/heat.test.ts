import { describe, expect, it } from 'vitest';
import { byteCells, heatColor, topBytes } from './heat';

describe('heat map helpers', () => {
  it('runs red to neutral to green and clamps', () => {
    expect(heatColor(-1)).toBe('rgb(214, 48, 49)');
    expect(heatColor(0)).toBe('rgb(245, 245, 240)');
    expect(heatColor(5)).toBe('rgb(39, 174, 96)');
    expect(heatColor(NaN)).toBe('rgb(245, 245, 240)');
  });

  it('gives one cell per byte, multi-byte characters in their first cell', () => {
    const bytes = new TextEncoder().encode('é a');
    expect(byteCells(bytes)).toEqual(['é', '', '\u2423', 'a']);
    expect(byteCells(Uint8Array.of(0xff, 0x41))).toEqual(['ff', 'A']);
  });

  it('ranks next bytes by softmax probability', () => {
    const logits = new Float32Array(256);
    logits[101] = Math.log(3);
    logits[32] = Math.log(2);
    const top = topBytes(logits, 2);
    expect(top.map((t) => t.byte)).toEqual([101, 32]);
    expect(top[0].p).toBeCloseTo(3 / (3 + 2 + 254), 6);
  });
});
