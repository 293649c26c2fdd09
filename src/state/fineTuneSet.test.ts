import { describe, expect, it } from 'vitest';
import {
  EMPTY_SET,
  parseFineTuneSet,
  setCorpus,
  setSeconds,
  withoutRecording,
  withRecording,
  type FineTuneSet,
  type SetRecording,
} from './fineTuneSet';
import { decodeProject, encodeProject } from './projectCodec';

function rec(id: string, seconds: number, seed: number): SetRecording {
  const n = Math.round(seconds * 22050);
  return {
    id,
    name: `${id}.wav`,
    samples: Float32Array.from({ length: n }, (_, i) => Math.sin(i * seed) * 0.5),
  };
}

const A = rec('a', 4, 0.01);
const B = rec('b', 3, 0.02);

describe('the fine-tuning set (saved work)', () => {
  it('adds recordings up to the cap and refuses past it, leaving the set unchanged', () => {
    const one = withRecording(EMPTY_SET, A, 8);
    if (!one.ok) throw new Error(one.error);
    const two = withRecording(one.value, B, 8);
    if (!two.ok) throw new Error(two.error);
    expect(setSeconds(two.value)).toBeCloseTo(7, 6);
    const over = withRecording(two.value, rec('c', 1.5, 0.03), 8);
    expect(over.ok).toBe(false);
    expect(!over.ok && over.error).toBe(
      'Adding c.wav (1.5 s) would make the fine-tuning set 0:09 long, over its 0:08 cap ' +
        '(expected at most 0:08, got 0:09). Remove a recording first.',
    );
    expect(two.value.recordings.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('refuses a recording already in the set and one without usable samples', () => {
    const one = withRecording(EMPTY_SET, A, 600);
    if (!one.ok) throw new Error(one.error);
    const again = withRecording(one.value, { ...A, id: 'x', name: 'copy.wav' }, 600);
    expect(!again.ok && again.error).toBe('copy.wav is already in the fine-tuning set (as a.wav)');
    const nan = withRecording(
      one.value,
      { id: 'n', name: 'n.wav', samples: new Float32Array([0, NaN]) },
      600,
    );
    expect(!nan.ok && nan.error).toContain('n.wav holds no usable samples');
  });

  it('drops the held-out mark with its recording or below two recordings', () => {
    const set: FineTuneSet = { recordings: [A, B, rec('c', 1, 0.05)], heldOutId: 'b' };
    expect(withoutRecording(set, 'a').heldOutId).toBe('b');
    expect(withoutRecording(set, 'b')).toEqual({
      recordings: [A, set.recordings[2]],
      heldOutId: null,
    });
    expect(withoutRecording({ recordings: [A, B], heldOutId: 'b' }, 'a').heldOutId).toBeNull();
  });

  it('gives a run its recordings and the held-out index', () => {
    const corpus = setCorpus({ recordings: [A, B], heldOutId: 'b' });
    expect(corpus.heldOut).toBe(1);
    expect(corpus.recordings.map((r) => r.name)).toEqual(['a.wav', 'b.wav']);
    // the set's own samples, not copies
    expect(corpus.recordings[1].samples).toBe(B.samples);
    expect(setCorpus({ recordings: [A, B], heldOutId: null }).heldOut).toBeNull();
  });

  it('travels through a project export and import unchanged', async () => {
    const set: FineTuneSet = { recordings: [A, B], heldOutId: 'a' };
    const file = await encodeProject([['speech.finetuneSet', set]]);
    const decoded = decodeProject(JSON.stringify(file));
    if (!decoded.ok) throw new Error(decoded.error);
    const [[key, value]] = decoded.value;
    expect(key).toBe('speech.finetuneSet');
    const parsed = parseFineTuneSet(value);
    expect(parsed).not.toBeNull();
    expect(parsed!.heldOutId).toBe('a');
    expect(parsed!.recordings.map((r) => r.name)).toEqual(['a.wav', 'b.wav']);
    expect(parsed!.recordings[1].samples).toBeInstanceOf(Float32Array);
    expect(parsed!.recordings[1].samples).toEqual(B.samples);
  });

  it('rejects saved values that are not a set', () => {
    expect(parseFineTuneSet(undefined)).toBeNull();
    expect(parseFineTuneSet({ recordings: 'x' })).toBeNull();
    expect(parseFineTuneSet({ recordings: [{ id: 'a', name: 'a', samples: [1, 2] }] })).toBeNull();
    expect(parseFineTuneSet({ recordings: [A, { ...B, id: 'a' }], heldOutId: null })).toBeNull();
    // a mark that names no recording is dropped, the recordings are kept
    expect(parseFineTuneSet({ recordings: [A, B], heldOutId: 'zz' })).toEqual({
      recordings: [A, B],
      heldOutId: null,
    });
  });
});
