// The denoised log-mel behind the synthesis plots: computed only after the
// denoised audio settles, one analysis at a time, intermediate strengths
// skipped, memoised per result and strength. computeLogMel is a stand-in
// whose calls the test finishes by hand.
import { describe, expect, it, vi } from 'vitest';

const calls: Array<{ samples: Float32Array; resolve(): void }> = [];
vi.mock('../jobs/melAnalysis', () => ({
  computeLogMel: vi.fn(
    (samples: Float32Array) =>
      new Promise((resolve) =>
        calls.push({
          samples,
          // a "log-mel" that names its input: its first sample
          resolve: () =>
            resolve({
              data: Float32Array.of(samples[0]),
              bands: 1,
              frames: 1,
              ms: 1,
              backend: 'wasm',
            }),
        }),
      ),
  ),
}));
vi.mock('./persist', () => ({
  saveWork: vi.fn(async () => undefined),
  loadWork: vi.fn(async () => undefined),
  deleteWork: vi.fn(async () => undefined),
  subscribeWork: vi.fn(() => () => undefined),
  registerWorkCheck: vi.fn(),
}));
vi.mock('../io/decodeAudioBrowser', () => ({ decodeAudioBrowser: vi.fn() }));

const { getDenoisedMel, usePlayedMelStore } = await import('./playedMelStore');
const { useDenoiseStore } = await import('./denoiseStore');
const { useSynthesisStore } = await import('./synthesisStore');

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('usePlayedMelStore', () => {
  it('analyses one denoised audio at a time, skips passed-over strengths, memoises', async () => {
    const source = new Float32Array(10);
    const result = { samples: source } as never;
    useSynthesisStore.setState({ result });
    const denoised = (strength: number) => ({
      source,
      strength,
      samples: Float32Array.of(strength),
    });

    useDenoiseStore.setState({ denoised: denoised(0.1) });
    await settle();
    expect(calls).toHaveLength(1);
    expect(usePlayedMelStore.getState().computing).toBe(0.1);
    // the slider moves on twice while 0.1 is analysed: only the last one is analysed next
    useDenoiseStore.setState({ denoised: denoised(0.2) });
    useDenoiseStore.setState({ denoised: denoised(0.3) });
    await settle();
    expect(calls).toHaveLength(1);
    calls[0].resolve();
    await settle();
    expect(usePlayedMelStore.getState().latest?.strength).toBe(0.1);
    expect(calls).toHaveLength(2);
    expect(calls[1].samples[0]).toBeCloseTo(0.3, 6);
    calls[1].resolve();
    await settle();
    const latest = usePlayedMelStore.getState().latest!;
    expect(latest.strength).toBe(0.3);
    expect(latest.mel.data[0]).toBeCloseTo(0.3, 6);
    expect(usePlayedMelStore.getState().computing).toBeNull();
    expect(getDenoisedMel(source, 0.2)).toBeNull();

    // back to 0.1: from the memo, no new analysis
    useDenoiseStore.setState({ denoised: denoised(0.1) });
    await settle();
    expect(calls).toHaveLength(2);
    expect(usePlayedMelStore.getState().latest?.strength).toBe(0.1);
    expect(getDenoisedMel(source, 0.1)!.data[0]).toBeCloseTo(0.1, 6);

    // a new result forgets what was plotted for the old one
    useSynthesisStore.setState({ result: { samples: new Float32Array(10) } as never });
    expect(usePlayedMelStore.getState().latest).toBeNull();
  });
});
