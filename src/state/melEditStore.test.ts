// The edit store against an in-memory stand-in for IndexedDB (persist.ts
// needs a browser); the speech store is driven by setting its state, as its
// loadFile and restore do once a recording is analysed.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const saved = new Map<string, unknown>();
vi.mock('./persist', () => ({
  saveWork: vi.fn(async (key: string, value: unknown) => void saved.set(key, value)),
  loadWork: vi.fn(async (key: string) => saved.get(key)),
  deleteWork: vi.fn(async (key: string) => void saved.delete(key)),
  flushWork: vi.fn(async () => undefined),
  subscribeWork: vi.fn(() => () => undefined),
  registerWorkCheck: vi.fn(),
}));
vi.mock('../jobs/melAnalysis', () => ({ computeLogMel: vi.fn() }));
vi.mock('../io/decodeAudioBrowser', () => ({ decodeAudioBrowser: vi.fn() }));

const { MEL_EDIT_KEY, UNDO_LIMIT, fingerprint, getEditedMel, savedEditFor, useMelEditStore } =
  await import('./melEditStore');
const { useSpeechStore } = await import('./speechStore');
const { MEL_LOG_CEILING, pitchShift } = await import('../models/mel/melEdit');
type SavedMelEdit = import('./melEditStore').SavedMelEdit;

const BANDS = 80;
const FRAMES = 23;
const brush = { radiusFrames: 3, radiusBands: 3 };

function recording(name: string, seed: number) {
  const samples = new Float32Array(FRAMES * 256 - 100).map((_, i) => Math.sin(i * 0.01 * seed));
  return {
    name,
    samples,
    sampleRate: 22050,
    originalRate: 22050,
    originalChannels: 1,
    resampled: false,
    downmixed: false,
    truncated: false,
  };
}

function load(name: string, seed: number) {
  const data = new Float32Array(BANDS * FRAMES).map((_, i) => -6 + (i % 7) * 0.1);
  const rec = recording(name, seed);
  useSpeechStore.setState({
    recording: rec,
    logMel: { data, bands: BANDS, frames: FRAMES, ms: 1, backend: 'webgpu' },
    status: 'ready',
  });
  return { rec, data };
}

/** lets followRecording's loadWork settle */
const settle = () => new Promise((r) => setTimeout(r, 0));

function stroke(frame: number, band: number, strength = 1) {
  const s = useMelEditStore.getState();
  s.beginStroke();
  s.strokeTo([{ frame, band }], 'raise', strength, brush);
  s.endStroke();
}

describe('useMelEditStore', () => {
  beforeEach(async () => {
    saved.clear();
    useSpeechStore.setState({ recording: null, logMel: null });
    await settle();
  });

  it('paints on the original, saves the edit, and undoes stroke by stroke', async () => {
    const { data } = load('a.wav', 1);
    await settle();
    stroke(5, 40, 1);
    stroke(5, 40, 0.5);
    const edited = getEditedMel()!;
    expect(edited.data[40 * FRAMES + 5] - data[40 * FRAMES + 5]).toBeCloseTo(1.5, 5);
    expect(useMelEditStore.getState().undoDepth).toBe(2);
    const kept = saved.get(MEL_EDIT_KEY) as { data: Float32Array; frames: number };
    expect(kept.data).toBe(edited.data);

    useMelEditStore.getState().undo();
    expect(getEditedMel()!.data[40 * FRAMES + 5] - data[40 * FRAMES + 5]).toBeCloseTo(1, 5);
    useMelEditStore.getState().undo();
    expect(getEditedMel()).toBeNull();
    expect(saved.has(MEL_EDIT_KEY)).toBe(false);
    useMelEditStore.getState().undo(); // nothing left: no change
    expect(useMelEditStore.getState().undoDepth).toBe(0);
  });

  it('keeps at most UNDO_LIMIT steps', async () => {
    load('a.wav', 1);
    await settle();
    for (let i = 0; i < UNDO_LIMIT + 5; i++) stroke(i % FRAMES, 10, 0.1);
    expect(useMelEditStore.getState().undoDepth).toBe(UNDO_LIMIT);
    for (let i = 0; i < UNDO_LIMIT; i++) useMelEditStore.getState().undo();
    // the five oldest strokes cannot be taken back
    expect(getEditedMel()).not.toBeNull();
  });

  it('stretches, refuses a bad factor with a message and changes nothing', async () => {
    load('a.wav', 1);
    await settle();
    useMelEditStore.getState().stretchTime(1.5);
    expect(getEditedMel()!.frames).toBe(Math.round(FRAMES * 1.5));
    useMelEditStore.getState().stretchTime(3);
    expect(useMelEditStore.getState().error).toContain('0.5..2');
    expect(getEditedMel()!.frames).toBe(Math.round(FRAMES * 1.5));
    expect(useMelEditStore.getState().undoDepth).toBe(1);
  });

  it('resets to the original, and the reset itself can be undone', async () => {
    load('a.wav', 1);
    await settle();
    useMelEditStore.getState().shiftPitch(3);
    const shifted = getEditedMel();
    useMelEditStore.getState().reset();
    expect(getEditedMel()).toBeNull();
    // unedited, but the history is kept so the reset can be undone after a reload too
    const kept = saved.get(MEL_EDIT_KEY) as SavedMelEdit;
    expect(kept.data).toBeNull();
    expect(kept.history!.ops.map((op) => op.kind)).toEqual(['pitch', 'reset']);
    useMelEditStore.getState().undo();
    expect(getEditedMel()!.data).toEqual(shifted!.data);
  });

  it('brings the edit back when the same recording is restored', async () => {
    const { rec } = load('a.wav', 1);
    await settle();
    useMelEditStore.getState().stretchTime(0.5);
    // a reload: the store empties, then the speech store restores the recording
    useSpeechStore.setState({ recording: null, logMel: null });
    await settle();
    expect(getEditedMel()).toBeNull();
    useSpeechStore.setState({
      recording: { ...rec, samples: rec.samples.slice() },
      logMel: {
        data: new Float32Array(BANDS * FRAMES),
        bands: BANDS,
        frames: FRAMES,
        ms: 1,
        backend: 'wasm',
      },
    });
    await settle();
    expect(getEditedMel()!.frames).toBe(Math.round(FRAMES * 0.5));
    expect(useMelEditStore.getState().undoDepth).toBe(1);
  });

  it('saves the undo history: after a reload, undo replays it exactly', async () => {
    const { rec, data } = load('a.wav', 1);
    await settle();
    const s = useMelEditStore.getState();
    // a dragged smooth stroke, a raise, a stretch, then a second raise on the stretched mel
    s.beginStroke();
    const drag = Array.from({ length: 9 }, (_, i) => ({ frame: 2 + i * 1.7, band: 30 + i }));
    for (let i = 1; i <= drag.length; i++) {
      s.strokeTo(drag.slice(0, i), 'smooth', 1, { radiusFrames: 4.3, radiusBands: 5 });
    }
    s.endStroke();
    stroke(6, 50, 0.7);
    s.stretchTime(1.3);
    const steps = [getEditedMel()!.data.slice()];
    stroke(12.5, 20, 1.1);
    const last = getEditedMel()!.data.slice();
    expect(useMelEditStore.getState().undoDepth).toBe(4);
    const kept = saved.get(MEL_EDIT_KEY) as SavedMelEdit;
    expect(kept.history!.ops.map((op) => op.kind)).toEqual([
      'stroke',
      'stroke',
      'stretch',
      'stroke',
    ]);
    expect(kept.history!.base).toBeNull();
    // the log is small: a stroke is its points, not a mel
    expect(JSON.stringify(kept.history!.ops).length).toBeLessThan(1500);

    // a reload: the store empties, the recording and its (recomputed, equal) mel come back
    useSpeechStore.setState({ recording: null, logMel: null });
    await settle();
    useSpeechStore.setState({
      recording: { ...rec, samples: rec.samples.slice() },
      logMel: { data: data.slice(), bands: BANDS, frames: FRAMES, ms: 1, backend: 'wasm' },
    });
    await settle();
    expect(getEditedMel()!.data).toEqual(last);
    expect(useMelEditStore.getState().undoDepth).toBe(4);
    useMelEditStore.getState().undo();
    expect(getEditedMel()!.data).toEqual(steps[0]);
    useMelEditStore.getState().undo();
    useMelEditStore.getState().undo();
    expect(Array.from(getEditedMel()!.data)).not.toEqual(Array.from(data));
    useMelEditStore.getState().undo();
    expect(getEditedMel()).toBeNull();
    expect(useMelEditStore.getState().undoDepth).toBe(0);
  });

  it('folds the oldest step into the saved base at the cap', async () => {
    load('a.wav', 1);
    await settle();
    useMelEditStore.getState().shiftPitch(2);
    for (let i = 0; i < UNDO_LIMIT; i++) stroke(i % FRAMES, 10, 0.1);
    const kept = saved.get(MEL_EDIT_KEY) as SavedMelEdit;
    expect(kept.history!.ops).toHaveLength(UNDO_LIMIT);
    expect(kept.history!.ops[0].kind).toBe('stroke');
    // the base is the pitch-shifted mel: undoing everything lands there, not on the original
    const own = useSpeechStore.getState().logMel!.data;
    const shifted = pitchShift({ data: own, bands: BANDS, frames: FRAMES }, 2);
    if (!shifted.ok) throw new Error(shifted.error);
    expect(kept.history!.base!.data).toEqual(shifted.value.data);
    for (let i = 0; i < UNDO_LIMIT; i++) useMelEditStore.getState().undo();
    expect(getEditedMel()!.data).toEqual(shifted.value.data);
  });

  it('paints a brush move in place, reporting only the frames it changed', async () => {
    load('a.wav', 1);
    await settle();
    const s = useMelEditStore.getState();
    s.beginStroke();
    s.strokeTo([{ frame: 2, band: 40 }], 'raise', 1, brush);
    const first = useMelEditStore.getState().edited!;
    expect(first.patch).toBeNull();
    s.strokeTo(
      [
        { frame: 2, band: 40 },
        { frame: 4, band: 40 },
      ],
      'raise',
      1,
      brush,
    );
    const second = useMelEditStore.getState().edited!;
    expect(second.data).toBe(first.data);
    expect(second.patch).toEqual({ after: first.revision, fromFrame: 0, toFrame: 7 });
    s.endStroke();
    expect(useMelEditStore.getState().undoDepth).toBe(1);
  });

  it('drops the edit and its saved copy when a different recording is loaded', async () => {
    load('a.wav', 1);
    await settle();
    stroke(3, 3);
    load('b.wav', 2);
    await settle();
    expect(getEditedMel()).toBeNull();
    expect(saved.has(MEL_EDIT_KEY)).toBe(false);
    // same name, other samples: still a different recording
    load('a.wav', 1);
    await settle();
    stroke(3, 3);
    load('a.wav', 3);
    await settle();
    expect(getEditedMel()).toBeNull();
  });

  it('accepts only a well-formed saved edit of the same recording, clamped', () => {
    const fp = fingerprint(recording('a.wav', 1));
    const data = new Float32Array(BANDS * 2).fill(1e9);
    const ok = savedEditFor({ recording: fp, bands: BANDS, frames: 2, data }, fp, BANDS);
    expect(ok!.edited!.data[0]).toBeCloseTo(MEL_LOG_CEILING, 5);
    expect(ok!.ops).toEqual([]);
    // a damaged history is dropped, the edit kept
    const history = { base: null, ops: [{ kind: 'stretch', factor: 9 }] };
    const bad = savedEditFor({ recording: fp, bands: BANDS, frames: 2, data, history }, fp, BANDS);
    expect(bad!.edited).not.toBeNull();
    expect(bad!.ops).toEqual([]);
    const other = fingerprint(recording('a.wav', 2));
    expect(savedEditFor({ recording: other, bands: BANDS, frames: 2, data }, fp, BANDS)).toBeNull();
    expect(savedEditFor({ recording: fp, bands: BANDS, frames: 3, data }, fp, BANDS)).toBeNull();
    expect(
      savedEditFor({ recording: fp, bands: BANDS, frames: 2, data: [1] }, fp, BANDS),
    ).toBeNull();
    expect(savedEditFor('junk', fp, BANDS)).toBeNull();
  });
});
