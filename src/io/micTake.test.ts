import { describe, expect, it } from 'vitest';
import { micErrorOf } from './micCapture';
import { checkTake, MicTake, toDbfs } from './micTake';

function block(n: number, value: (i: number) => number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => value(i));
}

describe('MicTake', () => {
  it('joins blocks in order and counts seconds at the capture rate', () => {
    const take = new MicTake(48000);
    take.append(block(128, (i) => i / 1000));
    take.append(block(5, (i) => -i));
    expect(take.length).toBe(133);
    expect(take.seconds).toBeCloseTo(133 / 48000, 12);
    const all = take.samples();
    expect(all[127]).toBeCloseTo(0.127, 6);
    expect(Array.from(all.subarray(128))).toEqual([-0, -1, -2, -3, -4]);
  });

  it('copies blocks: the worklet may reuse its array', () => {
    const take = new MicTake(8000);
    const b = block(4, () => 0.5);
    take.append(b);
    b.fill(0);
    expect(Array.from(take.samples())).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('stops at the cap, cutting the last block, and reports it full', () => {
    const take = new MicTake(1000, 0.25); // 250 samples
    expect(take.append(block(128, () => 0.1))).toBe(false);
    expect(take.append(block(128, () => 0.2))).toBe(true);
    expect(take.length).toBe(250);
    expect(take.full).toBe(true);
    expect(take.append(block(128, () => 0.3))).toBe(true);
    expect(take.length).toBe(250);
    expect(take.samples()[249]).toBeCloseTo(0.2, 6);
  });

  it('measures the level of the last 50 ms only', () => {
    const take = new MicTake(1000); // window: 50 samples
    take.append(block(500, () => 0.9));
    take.append(block(50, (i) => (i % 2 ? 0.1 : -0.1)));
    const level = take.level();
    expect(level.rms).toBeCloseTo(0.1, 6);
    expect(level.peak).toBeCloseTo(0.1, 6);
    expect(toDbfs(level.rms)).toBeCloseTo(-20, 4);
    expect(toDbfs(0)).toBe(-100);
    expect(new MicTake(1000).level()).toEqual({ rms: 0, peak: 0 });
  });

  it('refuses a take under 0.2 s and an all-zero take, accepts a real one', () => {
    const short = new MicTake(1000);
    short.append(block(150, () => 0.3));
    expect(checkTake(short)).toMatch(/0\.15 s long; record at least 0\.2 s/);
    const muted = new MicTake(1000);
    muted.append(block(500, () => 0));
    expect(checkTake(muted)).toMatch(/all zeros/);
    const fine = new MicTake(1000);
    fine.append(block(250, (i) => Math.sin(i / 3) * 0.2));
    expect(checkTake(fine)).toBeNull();
  });
});

describe('micErrorOf', () => {
  it('says denied, no microphone, busy, or the browser message', () => {
    const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
    expect(micErrorOf(named('NotAllowedError')).code).toBe('denied');
    expect(micErrorOf(named('NotAllowedError')).message).toMatch(/denied/);
    expect(micErrorOf(named('NotFoundError')).code).toBe('no-device');
    expect(micErrorOf(named('NotFoundError')).message).toMatch(/No microphone/);
    expect(micErrorOf(named('NotReadableError', 'in use')).message).toMatch(/in use/);
    const other = micErrorOf(named('TypeError', 'weird'));
    expect(other.code).toBe('failed');
    expect(other.message).toMatch(/weird/);
  });
});
