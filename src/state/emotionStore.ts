// Emotion tags in the Sentiment panel: the labelling mode (sentiment or
// emotions), the emotion-tagged set (texts with any of the 11 SemEval
// emotions, none meaning "no emotion"), the fitted multi-label classifier and
// the emotion probabilities of the text being read. The tagged set
// ('sentiment.emotions.labelled'), the classifier
// ('sentiment.emotions.classifier') and the mode are saved on every change,
// apart from the binary set (sentimentStore.ts), so older saved work loads.
import { create } from 'zustand';
import { JobCancelledError } from '../jobs/jobRunner';
import { startEmotionFit, startEmotionReading } from '../jobs/emotionJobs';
import { activeMlstmId } from '../jobs/fineTunedMlstm';
import {
  SEMEVAL_EMOTIONS,
  describeMultiLabel,
  readMultiLabelCsv,
} from '../models/sentiment/emotionData';
import { staleFitReason } from '../models/sentiment/fittedModel';
import { parseMultiLabel, type MultiLabelClassifier } from '../models/sentiment/multiLabel';
import { flushWork, loadWork, registerWorkCheck, saveWork, subscribeWork } from './persist';
import { MAX_LABELLED, MAX_TEXT_BYTES, useSentimentStore, type Notice } from './sentimentStore';

export const EMOTIONS_KEY = 'sentiment.emotions.labelled';
export const EMOTION_CLASSIFIER_KEY = 'sentiment.emotions.classifier';
/** the labelling mode last chosen, so a reload returns to it */
export const LABEL_MODE_KEY = 'sentiment.labelMode';
registerWorkCheck(LABEL_MODE_KEY, (v) =>
  v === 'sentiment' || v === 'emotions'
    ? null
    : `is '${String(v)}' (expected 'sentiment' or 'emotions')`,
);
export const EMOTIONS: readonly string[] = SEMEVAL_EMOTIONS;

export type LabelMode = 'sentiment' | 'emotions';

export interface TaggedExample {
  id: number;
  /** emotion names, in EMOTIONS order; empty: no emotion */
  tags: string[];
  /** the text as bytes (a CSV row may hold invalid UTF-8) */
  bytes: Uint8Array;
}

interface EmotionState {
  mode: LabelMode;
  /** tags chosen for the next example */
  draft: string[];
  tagged: TaggedExample[];
  classifier: MultiLabelClassifier | null;
  fitJob: number | null;
  /** P(emotion) of the text being read (in the classifier's label order) and the mLSTM used */
  reading: { text: string; probs: number[]; model: string } | null;
  notice: Notice | null;
  setMode(mode: LabelMode): void;
  toggleDraft(tag: string): void;
  addExample(): void;
  removeExample(id: number): void;
  clearExamples(): void;
  loadCsv(file: File): Promise<void>;
  fit(): void;
  read(text: string): void;
  restore(): Promise<void>;
  dismissNotice(): void;
}

const encoder = new TextEncoder();
let nextId = 1;
let restoring: Promise<void> | null = null;
let readTicket = 0;
let cancelReading: (() => void) | null = null;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const inOrder = (tags: Iterable<string>) => {
  const set = new Set(tags);
  return EMOTIONS.filter((e) => set.has(e));
};

function saveTagged(list: TaggedExample[]): void {
  void saveWork(
    EMOTIONS_KEY,
    list.map(({ tags, bytes }) => ({ tags, bytes })),
  );
  void flushWork();
}

function isTagged(e: unknown): e is { tags: string[]; bytes: Uint8Array } {
  const x = e as { tags?: unknown; bytes?: unknown } | null;
  return (
    !!x &&
    x.bytes instanceof Uint8Array &&
    Array.isArray(x.tags) &&
    x.tags.every((t: unknown) => typeof t === 'string' && EMOTIONS.includes(t))
  );
}

function isTaggedList(v: unknown): v is Array<{ tags: string[]; bytes: Uint8Array }> {
  return Array.isArray(v) && v.every(isTagged);
}

registerWorkCheck(EMOTIONS_KEY, (v) => {
  if (!Array.isArray(v)) return 'is not a list of tagged examples';
  const bad = v.findIndex((e) => !isTagged(e));
  return bad < 0 ? null : `row ${bad + 1} is not a text's bytes with known emotion tags`;
});
registerWorkCheck(EMOTION_CLASSIFIER_KEY, (v) => {
  const parsed = parseMultiLabel(v);
  return parsed.ok ? null : `is not a usable emotion classifier (${parsed.error})`;
});

export const useEmotionStore = create<EmotionState>()((set, get) => ({
  mode: 'sentiment',
  draft: [],
  tagged: [],
  classifier: null,
  fitJob: null,
  reading: null,
  notice: null,

  setMode: (mode) => {
    set({ mode });
    void saveWork(LABEL_MODE_KEY, mode);
  },

  toggleDraft: (tag) => {
    const { draft } = get();
    set({ draft: inOrder(draft.includes(tag) ? draft.filter((t) => t !== tag) : [...draft, tag]) });
  },

  addExample: () => {
    const { text } = useSentimentStore.getState();
    const { tagged, draft } = get();
    if (text.trim() === '') {
      set({
        notice: { level: 'error', message: 'Type a text first: an empty text cannot be tagged.' },
      });
      return;
    }
    if (tagged.length >= MAX_LABELLED) {
      set({
        notice: { level: 'error', message: `The tagged set is full (${MAX_LABELLED} examples).` },
      });
      return;
    }
    const next = [...tagged, { id: nextId++, tags: draft, bytes: encoder.encode(text) }];
    set({ tagged: next, draft: [], notice: null });
    saveTagged(next);
  },

  removeExample: (id) => {
    const next = get().tagged.filter((e) => e.id !== id);
    set({ tagged: next });
    saveTagged(next);
  },

  clearExamples: () => {
    set({ tagged: [] });
    saveTagged([]);
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
    const unchanged = 'The tagged set is unchanged.';
    const data = readMultiLabelCsv(bytes, {
      name: file.name,
      // in the page the binary set is one click away (the CLI keeps its own advice)
      binaryAdvice: 'switch to Sentiment mode (above) and load it there',
    });
    if (!data.ok) {
      set({ notice: { level: 'error', message: `${data.error}. ${unchanged}` } });
      return;
    }
    const d = data.value;
    const unknown = d.names.filter((n) => !EMOTIONS.includes(n.toLowerCase()));
    const missing = EMOTIONS.filter((e) => !d.names.some((n) => n.toLowerCase() === e));
    if (unknown.length > 0 || missing.length > 0) {
      const what = unknown.length
        ? `columns ${unknown.map((n) => `'${n}'`).join(', ')} are not emotions`
        : `the emotion columns ${missing.join(', ')} are missing`;
      set({
        notice: {
          level: 'error',
          message:
            `${file.name}: ${what} (expected one 0/1 column for each of ` +
            `${EMOTIONS.join(', ')}). ${unchanged}`,
        },
      });
      return;
    }
    const k = d.names.length;
    const { tagged } = get();
    const room = MAX_LABELLED - tagged.length;
    const added = d.texts.slice(0, room).map((b, i) => ({
      id: nextId++,
      tags: inOrder(d.names.filter((_, c) => d.labels[i * k + c]).map((n) => n.toLowerCase())),
      bytes: b,
    }));
    const next = [...tagged, ...added];
    const notes = [`Added ${added.length} examples from ${file.name}: ${describeMultiLabel(d)}`];
    if (added.length < d.texts.length) {
      notes.push(
        `${d.texts.length - added.length} left out (the set holds at most ${MAX_LABELLED})`,
      );
    }
    set({ tagged: next, notice: { level: 'info', message: notes.join('; ') + '.' } });
    saveTagged(next);
  },

  fit: () => {
    const { tagged, fitJob } = get();
    if (fitJob !== null) return;
    const used = EMOTIONS.filter((e) => tagged.some((x) => x.tags.includes(e)));
    if (tagged.length < 2 || used.length === 0) {
      set({
        notice: {
          level: 'error',
          message:
            `Fitting needs at least 2 examples and one emotion tag ` +
            `(the set has ${tagged.length} examples, ${used.length} emotions used).`,
        },
      });
      return;
    }
    const labels = Uint8Array.from(
      tagged.flatMap((x) => EMOTIONS.map((e) => (x.tags.includes(e) ? 1 : 0))),
    );
    const job = startEmotionFit(
      tagged.map((x) => x.bytes),
      labels,
      EMOTIONS,
      MAX_TEXT_BYTES,
    );
    set({ fitJob: job.id, notice: null });
    job.result.then(
      (classifier) => {
        set({ classifier, fitJob: null, reading: null });
        void saveWork(EMOTION_CLASSIFIER_KEY, classifier);
        void flushWork();
        get().read(useSentimentStore.getState().text);
      },
      (err: unknown) => {
        set({ fitJob: null });
        if (!(err instanceof JobCancelledError)) {
          set({ notice: { level: 'error', message: `Fitting failed: ${messageOf(err)}` } });
        }
      },
    );
  },

  read: (text) => {
    const { classifier } = get();
    cancelReading?.();
    const mine = ++readTicket;
    // a fit on another model's features gives no reading (the panel offers Refit)
    const stale = classifier && staleFitReason(classifier.model, activeMlstmId());
    if (!classifier || stale || text.trim() === '') {
      set({ reading: null });
      return;
    }
    const job = startEmotionReading(encoder.encode(text), classifier);
    cancelReading = job.cancel;
    job.result.then(
      ({ probs, model }) => {
        if (mine === readTicket) set({ reading: { text, probs: Array.from(probs), model } });
      },
      (err: unknown) => {
        if (mine !== readTicket || err instanceof JobCancelledError) return;
        set({
          notice: { level: 'error', message: `Reading the emotions failed: ${messageOf(err)}` },
        });
      },
    );
  },

  restore: () => {
    restoring ??= (async () => {
      try {
        const [list, saved, mode] = await Promise.all([
          loadWork(EMOTIONS_KEY),
          loadWork(EMOTION_CLASSIFIER_KEY),
          loadWork(LABEL_MODE_KEY),
        ]);
        if (mode === 'sentiment' || mode === 'emotions') set({ mode });
        const tagged = isTaggedList(list)
          ? list.map((e) => ({ id: nextId++, tags: inOrder(e.tags), bytes: e.bytes }))
          : [];
        const parsed = saved === undefined ? null : parseMultiLabel(saved);
        set({ tagged, classifier: parsed?.ok ? parsed.value : null, reading: null });
        if (parsed && !parsed.ok) {
          set({
            notice: {
              level: 'error',
              message: `The saved emotion classifier was not usable: ${parsed.error}`,
            },
          });
        }
      } catch (err) {
        set({
          notice: {
            level: 'error',
            message: `The saved emotion tags could not be read: ${messageOf(err)}`,
          },
        });
      }
    })();
    return restoring;
  },

  dismissNotice: () => set({ notice: null }),
}));

// an imported project may bring (or drop) emotion tags and a classifier
subscribeWork((event) => {
  if (event.type !== 'imported') return;
  restoring = null;
  void useEmotionStore.getState().restore();
});
