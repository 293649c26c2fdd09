import { describe, expect, it } from 'vitest';
import { figure, realTimeMultiple, speedText } from './vocoderSpeed';

describe('speedText', () => {
  it('turns audio s per compute s into a multiple of real time and compute per audio s', () => {
    // the tester's figure: 0.503 audio s per compute s
    expect(speedText(0.503)).toBe('0.50x real time (1.99 s of compute per s of audio)');
    expect(speedText(2)).toBe('2.00x real time (0.50 s of compute per s of audio)');
    // SwiftShader speeds and fast GPUs keep two significant digits, never "0.00x"
    expect(speedText(0.021)).toBe('0.021x real time (47.6 s of compute per s of audio)');
    expect(speedText(25)).toBe('25.0x real time (0.040 s of compute per s of audio)');
  });

  it('does not print a speed before one is measured', () => {
    expect(speedText(0)).toBe('speed not measured yet');
    expect(speedText(Number.NaN)).toBe('speed not measured yet');
    expect(realTimeMultiple(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('rounds figures to about two significant digits', () => {
    expect(figure(0.0042)).toBe('0.0042');
    expect(figure(0.1)).toBe('0.10');
    expect(figure(12.34)).toBe('12.3');
    expect(figure(130.4)).toBe('130');
  });
});
