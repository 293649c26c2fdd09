// The Sentiment panel's state: the text being read and what the mLSTM made
// of it, the labelled set, the fitted classifier, and generation. The
// labelled set ('sentiment.labelled') and the classifier
// ('sentiment.classifier') are written to saved work on every change and
// restored on start and after a project import; so is the text being read
// ('sentiment.text', debounced by saveWork).
import { create } from 'zustand';
import { decodeLenient } from '../io/csv';
import { JobCancelledError } from '../jobs/jobRunner';
import { startFit, startGeneration, startReading, type TextReading } from '../jobs/sentimentJobs';
import { parseClassifier, type SentimentClassifier } from '../models/sentiment/classifier';
import { describeLabelled, readLabelledCsv } from '../models/sentiment/labelledData';
import { flushWork, loadWork, registerWorkCheck, saveWork, subscribeWork } from './persist';

export const LABELLED_KEY = 'sentiment.labelled';
export const CLASSIFIER_KEY = 'sentiment.classifier';
export const TEXT_KEY = 'sentiment.text';
/** longest text read or generated from, in bytes: the mLSTM reads tens to hundreds of bytes/s on a CPU */
export const MAX_TEXT_BYTES = 2000;
/** largest labelled set: each example is featurized in the page */
export const MAX_LABELLED = 2000;
export const MAX_STEPS = 500;

export interface LabelledExample {
  id: number;
  label: 0 | 1;
  /** the text as bytes (a CSV row may hold invalid UTF-8) */
  bytes: Uint8Array;
}

export interface Notice {
  level: 'error' | 'info';
  message: string;
}

export type ClampMode = 'off' | 'positive' | 'negative';

interface SentimentState {
  text: string;
  /** byte offset of the cursor in the text */
  cursor: number;
  /** unit shown in the heat map when no classifier is fitted */
  manualUnit: number;
  reading: TextReading | null;
  /** the heat map of the text being read, before the rest arrives */
  trace: { bytes: Uint8Array; unit: number; values: Float32Array } | null;
  readingJob: number | null;
  labelled: LabelledExample[];
  classifier: SentimentClassifier | null;
  fitJob: number | null;
  notice: Notice | null;
  generation: {
    prefix: string;
    temperature: number;
    steps: number;
    clamp: ClampMode;
    output: Uint8Array;
    job: number | null;
  };
  setText(text: string): void;
  setCursor(byte: number): void;
  setManualUnit(unit: number): void;
  read(): void;
  addExample(label: 0 | 1): void;
  removeExample(id: number): void;
  clearExamples(): void;
  loadCsv(file: File): Promise<void>;
  fit(): void;
  setGeneration(
    change: Partial<
      Pick<SentimentState['generation'], 'prefix' | 'temperature' | 'steps' | 'clamp'>
    >,
  ): void;
  generate(): void;
  restore(): Promise<void>;
  dismissNotice(): void;
}

const encoder = new TextEncoder();

/** `text` cut to at most `max` UTF-8 bytes at a character boundary. */
export function capText(
  text: string,
  max = MAX_TEXT_BYTES,
): { text: string; bytes: number; cut: boolean } {
  const bytes = encoder.encode(text).length;
  if (bytes <= max) return { text, bytes, cut: false };
  let used = 0;
  let end = 0;
  for (const ch of text) {
    const n = encoder.encode(ch).length;
    if (used + n > max) break;
    used += n;
    end += ch.length;
  }
  return { text: text.slice(0, end), bytes, cut: true };
}

let nextId = 1;
let readTicket = 0;
let restoring: Promise<void> | null = null;
let cancelReading: (() => void) | null = null;
let cancelGeneration: (() => void) | null = null;
/** the notice of the latest cut text, cleared once the text fits */
let textCapNotice: Notice | null = null;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function saveLabelled(list: LabelledExample[]): void {
  void saveWork(
    LABELLED_KEY,
    list.map(({ label, bytes }) => ({ label, bytes })),
  );
  void flushWork();
}

function isExample(e: unknown): e is { label: 0 | 1; bytes: Uint8Array } {
  const x = e as { label?: unknown; bytes?: unknown } | null;
  return !!x && (x.label === 0 || x.label === 1) && x.bytes instanceof Uint8Array;
}

function isExampleList(v: unknown): v is Array<{ label: 0 | 1; bytes: Uint8Array }> {
  return Array.isArray(v) && v.every(isExample);
}

registerWorkCheck(LABELLED_KEY, (v) => {
  if (!Array.isArray(v)) return 'is not a list of labelled examples';
  const bad = v.findIndex((e) => !isExample(e));
  return bad < 0 ? null : `row ${bad + 1} is not a text's bytes with a label of 0 or 1`;
});
registerWorkCheck(TEXT_KEY, (v) =>
  typeof v === 'string' ? null : `is not text (got ${v === null ? 'null' : typeof v})`,
);
registerWorkCheck(CLASSIFIER_KEY, (v) => {
  const parsed = parseClassifier(v);
  return parsed.ok ? null : `is not a usable classifier (${parsed.error})`;
});

export const useSentimentStore = create<SentimentState>()((set, get) => ({
  text: '',
  cursor: 0,
  manualUnit: 0,
  reading: null,
  trace: null,
  readingJob: null,
  labelled: [],
  classifier: null,
  fitJob: null,
  notice: null,
  generation: {
    prefix: '',
    temperature: 0.8,
    steps: 40,
    clamp: 'off',
    output: new Uint8Array(0),
    job: null,
  },

  setText: (raw) => {
    const capped = capText(raw);
    if (capped.cut) {
      textCapNotice = {
        level: 'error',
        message:
          `The text is ${capped.bytes.toLocaleString('en')} bytes; only the first ` +
          `${MAX_TEXT_BYTES.toLocaleString('en')} bytes are kept ` +
          '(the mLSTM reads each byte in turn).',
      };
      set({ notice: textCapNotice });
    } else if (textCapNotice && get().notice === textCapNotice) {
      // the text that was cut is gone: its banner goes too (other notices stay)
      set({ notice: null });
    }
    set({ text: capped.text });
    void saveWork(TEXT_KEY, capped.text);
  },

  setCursor: (cursor) => set({ cursor }),
  setManualUnit: (unit) => set({ manualUnit: unit }),

  read: () => {
    const { text, classifier, manualUnit } = get();
    cancelReading?.();
    const mine = ++readTicket;
    const bytes = encoder.encode(text);
    if (bytes.length === 0) {
      set({ reading: null, trace: null, readingJob: null });
      return;
    }
    const unit = classifier?.sentimentUnit ?? manualUnit;
    const job = startReading(bytes, unit, classifier, (values) => {
      if (mine === readTicket) set({ trace: { bytes, unit, values } });
    });
    cancelReading = job.cancel;
    set({ readingJob: job.id });
    job.result.then(
      (reading) => {
        if (mine === readTicket) set({ reading, readingJob: null });
      },
      (err: unknown) => {
        if (mine !== readTicket) return;
        set({ readingJob: null });
        if (!(err instanceof JobCancelledError)) {
          set({
            notice: { level: 'error', message: `Reading the text failed: ${messageOf(err)}` },
          });
        }
      },
    );
  },

  addExample: (label) => {
    const { text, labelled } = get();
    if (text.trim() === '') {
      set({
        notice: { level: 'error', message: 'Type a text first: an empty text cannot be labelled.' },
      });
      return;
    }
    if (labelled.length >= MAX_LABELLED) {
      set({
        notice: { level: 'error', message: `The labelled set is full (${MAX_LABELLED} examples).` },
      });
      return;
    }
    const next = [...labelled, { id: nextId++, label, bytes: encoder.encode(text) }];
    set({ labelled: next, notice: null });
    saveLabelled(next);
  },

  removeExample: (id) => {
    const next = get().labelled.filter((e) => e.id !== id);
    set({ labelled: next });
    saveLabelled(next);
  },

  clearExamples: () => {
    set({ labelled: [] });
    saveLabelled([]);
  },

  loadCsv: async (file) => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (err) {
      set({
        notice: { level: 'error', message: `${file.name} could not be read: ${messageOf(err)}` },
      });
      return;
    }
    const data = readLabelledCsv(bytes, { name: file.name });
    if (!data.ok) {
      set({ notice: { level: 'error', message: `${data.error}. The labelled set is unchanged.` } });
      return;
    }
    const { labelled } = get();
    const room = MAX_LABELLED - labelled.length;
    const d = data.value;
    const added = d.texts.slice(0, room).map((b, i) => ({
      id: nextId++,
      label: d.labels[i] as 0 | 1,
      bytes: b,
    }));
    const next = [...labelled, ...added];
    const notes = [`Added ${added.length} examples from ${file.name}: ${describeLabelled(d)}`];
    if (added.length < d.texts.length)
      notes.push(
        `${d.texts.length - added.length} left out (the set holds at most ${MAX_LABELLED})`,
      );
    set({ labelled: next, notice: { level: 'info', message: notes.join('; ') + '.' } });
    saveLabelled(next);
  },

  fit: () => {
    const { labelled, fitJob } = get();
    if (fitJob !== null) return;
    const positives = labelled.filter((e) => e.label === 1).length;
    if (labelled.length < 2 || positives === 0 || positives === labelled.length) {
      set({
        notice: {
          level: 'error',
          message: `Fitting needs at least one positive and one negative example (the set has ${positives} positive, ${labelled.length - positives} negative).`,
        },
      });
      return;
    }
    const job = startFit(
      labelled.map((e) => e.bytes),
      Uint8Array.from(labelled, (e) => e.label),
      MAX_TEXT_BYTES,
    );
    set({ fitJob: job.id, notice: null });
    job.result.then(
      (classifier) => {
        set({ classifier, fitJob: null });
        void saveWork(CLASSIFIER_KEY, classifier);
        void flushWork();
        get().read();
      },
      (err: unknown) => {
        set({ fitJob: null });
        if (!(err instanceof JobCancelledError)) {
          set({ notice: { level: 'error', message: `Fitting failed: ${messageOf(err)}` } });
        }
      },
    );
  },

  setGeneration: (change) => set({ generation: { ...get().generation, ...change } }),

  generate: () => {
    const g = get().generation;
    if (g.job !== null) return;
    const { classifier } = get();
    const prefix = encoder.encode(capText(g.prefix).text);
    let clamp: { unit: number; value: number } | null = null;
    if (g.clamp !== 'off') {
      if (!classifier) {
        set({
          notice: {
            level: 'error',
            message: 'Clamping the sentiment unit needs a fitted classifier.',
          },
        });
        return;
      }
      const u = classifier.sentimentUnit;
      const towards = (g.clamp === 'positive' ? 1 : -1) * Math.sign(classifier.unitWeight || 1);
      clamp = { unit: u, value: classifier.mean[u] + towards * 3 * classifier.std[u] };
    }
    cancelGeneration?.();
    let out = new Uint8Array(0);
    const job = startGeneration({
      prefix,
      temperature: g.temperature,
      steps: Math.min(MAX_STEPS, Math.max(1, Math.round(g.steps))),
      clamp,
      onByte: (byte) => {
        const grown = new Uint8Array(out.length + 1);
        grown.set(out);
        grown[out.length] = byte;
        out = grown;
        set({ generation: { ...get().generation, output: out } });
      },
    });
    cancelGeneration = job.cancel;
    set({ generation: { ...g, output: out, job: job.id }, notice: null });
    const done = () => set({ generation: { ...get().generation, job: null } });
    job.result.then(done, (err: unknown) => {
      done();
      if (!(err instanceof JobCancelledError)) {
        set({ notice: { level: 'error', message: `Generation failed: ${messageOf(err)}` } });
      }
    });
  },

  restore: () => {
    restoring ??= (async () => {
      try {
        const [list, saved, text] = await Promise.all([
          loadWork(LABELLED_KEY),
          loadWork(CLASSIFIER_KEY),
          loadWork(TEXT_KEY),
        ]);
        // a text typed while the saved work loaded wins over the saved one
        if (typeof text === 'string' && get().text === '') set({ text: capText(text).text });
        const labelled = isExampleList(list)
          ? list.map((e) => ({ id: nextId++, label: e.label, bytes: e.bytes }))
          : [];
        const parsed = saved === undefined ? null : parseClassifier(saved);
        set({ labelled, classifier: parsed?.ok ? parsed.value : null });
        if (parsed && !parsed.ok) {
          set({
            notice: {
              level: 'error',
              message: `The saved classifier was not usable: ${parsed.error}`,
            },
          });
        }
      } catch (err) {
        set({
          notice: {
            level: 'error',
            message: `The saved labelled set could not be read: ${messageOf(err)}`,
          },
        });
      }
    })();
    return restoring;
  },

  dismissNotice: () => set({ notice: null }),
}));

/** An example's text for display (invalid UTF-8 shown as U+FFFD). */
export function exampleText(e: LabelledExample): string {
  return decodeLenient(e.bytes);
}

// an imported project may bring (or drop) a labelled set and a classifier
subscribeWork((event) => {
  if (event.type !== 'imported') return;
  restoring = null;
  // the imported project's text (or none) replaces the one being read
  useSentimentStore.setState({ text: '' });
  void useSentimentStore.getState().restore();
});
