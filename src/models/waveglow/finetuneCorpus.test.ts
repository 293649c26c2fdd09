import { describe, expect, it } from 'vitest';
import {
  drawCorpusSegments,
  pickedSegments,
  splitCorpus,
  splitSeconds,
  type FineTuneCorpus,
} from './finetuneCorpus';
import { seededIndex } from './finetuneData';

/** A recording whose every sample is its own index plus `offset`, so a pick can be traced. */
function ramp(name: string, length: number, offset: number) {
  return { name, samples: Float32Array.from({ length }, (_, i) => offset + i) };
}

const A = ramp('a.wav', 40_000, 0);
const B = ramp('b.wav', 120_000, 1e6);
const C = ramp('c.wav', 20_000, 2e6);

describe('fine-tuning corpus: split and sampling over several recordings', () => {
  it('holds out the end of every recording by default', () => {
    const split = splitCorpus({ recordings: [A, B, C], heldOut: null }, 1024);
    if (!split.ok) throw new Error(split.error);
    // 15% in whole hops, at most 16384 samples: 23 * 256, 16384, 11 * 256
    expect(split.value).toEqual({
      mode: 'ends',
      trainEnds: [34_112, 103_616, 17_184],
      heldOut: [
        { recording: 0, start: 34_112, end: 40_000 },
        { recording: 1, start: 103_616, end: 120_000 },
        { recording: 2, start: 17_184, end: 20_000 },
      ],
    });
    expect(splitSeconds(split.value).heldOut).toBeCloseTo((5888 + 16384 + 2816) / 22050, 9);
  });

  it('holds out a marked recording whole and scores its middle', () => {
    const split = splitCorpus({ recordings: [A, B, C], heldOut: 1 }, 1024);
    if (!split.ok) throw new Error(split.error);
    // (120000 - 16384) / 2 = 51808, down to whole hops: 202 * 256
    expect(split.value).toEqual({
      mode: 'recording',
      trainEnds: [40_000, 0, 20_000],
      heldOut: [{ recording: 1, start: 51_712, end: 51_712 + 16_384 }],
    });
  });

  it('names the problem: no recordings, a lone held-out one, a too-short one', () => {
    const none = splitCorpus({ recordings: [], heldOut: null }, 1024);
    expect(!none.ok && none.error).toContain('no recording to train on');
    const lone = splitCorpus({ recordings: [A], heldOut: 0 }, 1024);
    expect(!lone.ok && lone.error).toContain('needs at least one other recording');
    const tiny = ramp('tiny.wav', 1500, 0);
    const short = splitCorpus({ recordings: [A, tiny], heldOut: null }, 1024);
    expect(!short.ok && short.error).toContain('tiny.wav: The recording is too short');
    const shortMarked = splitCorpus({ recordings: [A, ramp('t.wav', 900, 0)], heldOut: 0 }, 1024);
    expect(!shortMarked.ok && shortMarked.error).toContain('t.wav is shorter than one');
    const range = splitCorpus({ recordings: [A, B], heldOut: 2 }, 1024);
    expect(!range.ok && range.error).toContain('expected 0..1, got 2');
  });

  it('draws segments from every recording in proportion to its length', () => {
    const segment = 1024;
    const trainEnds = [40_000, 120_000, 20_000];
    const picks = drawCorpusSegments(seededIndex(3), trainEnds, segment, 30_000);
    const counts = [0, 0, 0];
    for (const p of picks) {
      counts[p.recording]++;
      expect(p.start).toBeGreaterThanOrEqual(0);
      expect(p.start).toBeLessThanOrEqual(trainEnds[p.recording] - segment);
    }
    const weights = trainEnds.map((e) => e - segment + 1);
    const total = weights.reduce((a, b) => a + b, 0);
    // 30000 draws: the standard error of each share is below 0.003
    for (let i = 0; i < 3; i++) expect(counts[i] / picks.length).toBeCloseTo(weights[i] / total, 2);
    // starts spread over the whole of the longest recording
    const bStarts = picks.filter((p) => p.recording === 1).map((p) => p.start);
    expect(Math.min(...bStarts)).toBeLessThan(1000);
    expect(Math.max(...bStarts)).toBeGreaterThan(118_000);
  });

  it('never draws from the held-out recording or the held-out ends', () => {
    const segment = 2048;
    const corpus: FineTuneCorpus = { recordings: [A, B, C], heldOut: 1 };
    const split = splitCorpus(corpus, segment);
    if (!split.ok) throw new Error(split.error);
    const picks = drawCorpusSegments(seededIndex(9), split.value.trainEnds, segment, 5000);
    expect(picks.some((p) => p.recording === 1)).toBe(false);
    expect(new Set(picks.map((p) => p.recording))).toEqual(new Set([0, 2]));
    // the samples are the recordings' own (offsets say which recording a value came from)
    for (const [i, seg] of pickedSegments(corpus, picks.slice(0, 50), segment).entries()) {
      const p = picks[i];
      expect(seg.length).toBe(segment);
      expect(seg[0]).toBe(corpus.recordings[p.recording].samples[p.start]);
      expect(seg[0] >= 1e6 && seg[0] < 2e6).toBe(false);
    }

    const ends = splitCorpus({ recordings: [A, B, C], heldOut: null }, segment);
    if (!ends.ok) throw new Error(ends.error);
    const endPicks = drawCorpusSegments(seededIndex(5), ends.value.trainEnds, segment, 5000);
    for (const p of endPicks) {
      const heldStart = ends.value.heldOut[p.recording].start;
      expect(p.start + segment).toBeLessThanOrEqual(heldStart);
    }
  });

  it('repeats with a seed, and refuses a corpus without training audio', () => {
    const a = drawCorpusSegments(seededIndex(7), [5000, 3000], 1024, 100);
    expect(drawCorpusSegments(seededIndex(7), [5000, 3000], 1024, 100)).toEqual(a);
    expect(drawCorpusSegments(seededIndex(8), [5000, 3000], 1024, 100)).not.toEqual(a);
    expect(() => drawCorpusSegments(seededIndex(1), [0, 1000], 1024, 1)).toThrow(
      'no recording holds a training segment',
    );
  });
});
