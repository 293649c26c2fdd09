// The Sentiment store's text: the banner of a cut text goes once the text
// fits, and the text is saved and restored as the user's work (persist.ts
// replaced by an in-memory stand-in; reading jobs are not started here).
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
vi.mock('../jobs/sentimentJobs', () => ({
  startFit: vi.fn(),
  startGeneration: vi.fn(),
  startReading: vi.fn(),
}));

const { MAX_TEXT_BYTES, TEXT_KEY, useSentimentStore } = await import('./sentimentStore');

const initial = useSentimentStore.getState();

beforeEach(() => {
  saved.clear();
  useSentimentStore.setState(initial, true);
});

describe('the text-too-long banner', () => {
  it('names the pasted size, and goes once a text within the limit replaces it', () => {
    const { setText } = useSentimentStore.getState();
    setText('x'.repeat(2560));
    expect(useSentimentStore.getState().notice?.message).toMatch(
      /^The text is 2,560 bytes; only the first 2,000 bytes are kept/,
    );
    expect(useSentimentStore.getState().text).toHaveLength(MAX_TEXT_BYTES);
    // still too long: the banner updates to the new size
    setText('y'.repeat(2100));
    expect(useSentimentStore.getState().notice?.message).toMatch(/^The text is 2,100 bytes/);
    setText('a short review');
    expect(useSentimentStore.getState().notice).toBeNull();
    expect(useSentimentStore.getState().text).toBe('a short review');
  });

  it('leaves a notice about something else in place', () => {
    const other = { level: 'error' as const, message: 'Fitting failed: out of memory' };
    useSentimentStore.setState({ notice: other });
    useSentimentStore.getState().setText('fine');
    expect(useSentimentStore.getState().notice).toBe(other);
    // a cut text's banner replaced by another notice is not cleared by the next edit either
    useSentimentStore.getState().setText('z'.repeat(3000));
    useSentimentStore.setState({ notice: other });
    useSentimentStore.getState().setText('short');
    expect(useSentimentStore.getState().notice).toBe(other);
  });
});

describe('the saved text', () => {
  it('saves what is kept of the text, not what was pasted', () => {
    useSentimentStore.getState().setText('é'.repeat(1500));
    // 1,000 two-byte characters fit in 2,000 bytes
    expect(saved.get(TEXT_KEY)).toBe('é'.repeat(1000));
  });

  it('restores the saved text on start', async () => {
    saved.set(TEXT_KEY, 'This film was a joy');
    await useSentimentStore.getState().restore();
    expect(useSentimentStore.getState().text).toBe('This film was a joy');
  });
});

describe('restoring while the user types', () => {
  it('keeps the typed text', async () => {
    saved.set(TEXT_KEY, 'the saved text');
    // restore() runs once per start (memoised), so this is a fresh module's first call
    vi.resetModules();
    const fresh = await import('./sentimentStore');
    fresh.useSentimentStore.getState().setText('typed first');
    await fresh.useSentimentStore.getState().restore();
    expect(fresh.useSentimentStore.getState().text).toBe('typed first');
  });
});
