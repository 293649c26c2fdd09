import { describe, expect, it } from 'vitest';
import { denoiseStatus, type DenoiseStatusInput } from './denoiseStatus';

const samples = new Float32Array([0.1, -0.2, 0.3]);

function input(change: Partial<DenoiseStatusInput>): DenoiseStatusInput {
  return {
    biasPhase: 'ready',
    biasError: null,
    strength: 0.05,
    denoised: null,
    resultSamples: samples,
    ...change,
  };
}

describe('denoiseStatus', () => {
  it('says it applies after a synthesis when a new recording cleared the result', () => {
    // the tester's case: bias ready, strength 0.05, the result (and denoised audio) gone
    expect(denoiseStatus(input({ resultSamples: null }))).toBe('applies after a synthesis');
    expect(denoiseStatus(input({ resultSamples: null, strength: 0 }))).toBe(
      'applies after a synthesis',
    );
  });

  it('says applying only while the denoised audio is not that of the current result', () => {
    expect(denoiseStatus(input({}))).toBe('applying…');
    const old = { source: new Float32Array(3), strength: 0.05, samples: new Float32Array(3) };
    expect(denoiseStatus(input({ denoised: old }))).toBe('applying…');
    const stale = { source: samples, strength: 0.3, samples: new Float32Array(3) };
    expect(denoiseStatus(input({ denoised: stale }))).toBe('applying…');
    const done = { source: samples, strength: 0.05, samples: new Float32Array(3) };
    expect(denoiseStatus(input({ denoised: done }))).toBe('applied to the synthesis');
  });

  it('shows off at strength 0, the bias job, and failures with their message', () => {
    expect(denoiseStatus(input({ strength: 0 }))).toBe('off');
    expect(denoiseStatus(input({ biasPhase: 'idle' }))).toBe('applies after a synthesis');
    expect(denoiseStatus(input({ biasPhase: 'running' }))).toBe('computing the model’s bias…');
    expect(denoiseStatus(input({ biasPhase: 'failed', biasError: 'no adapter' }))).toBe(
      'bias unavailable: no adapter',
    );
    expect(denoiseStatus(input({ biasError: 'bias has 3 bins' }))).toBe(
      'denoising failed: bias has 3 bins',
    );
  });
});
