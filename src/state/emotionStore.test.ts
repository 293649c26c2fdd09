// Loading CSVs into the emotion-tagged set: a binary label,sentence file is
// refused with advice for the page (switch modes), not the CLI's, and the
// tagged set is unchanged (persist.ts and the jobs replaced by stand-ins).
import { describe, expect, it, vi } from 'vitest';

const saved = new Map<string, unknown>();
vi.mock('./persist', () => ({
  saveWork: vi.fn(async (key: string, value: unknown) => void saved.set(key, value)),
  loadWork: vi.fn(async (key: string) => saved.get(key)),
  deleteWork: vi.fn(async (key: string) => void saved.delete(key)),
  flushWork: vi.fn(async () => undefined),
  subscribeWork: vi.fn(() => () => undefined),
  registerWorkCheck: vi.fn(),
}));
vi.mock('../jobs/sentimentJobs', () => ({}));
vi.mock('../jobs/emotionJobs', () => ({}));

const { readMultiLabelCsv } = await import('../models/sentiment/emotionData');
const { EMOTIONS_KEY, useEmotionStore } = await import('./emotionStore');

const sst = 'label,sentence\n1,a joy from start to finish\n0,dull\n';

describe('a binary sentiment CSV in Emotions mode', () => {
  it('tells the page user to switch to Sentiment mode and keeps the tagged set', async () => {
    const before = useEmotionStore.getState().tagged;
    await useEmotionStore.getState().loadCsv(new File([sst], 'sst.csv', { type: 'text/csv' }));
    const notice = useEmotionStore.getState().notice;
    expect(notice?.level).toBe('error');
    expect(notice?.message).toBe(
      "sst.csv looks like binary sentiment data (one 'label' column): switch to Sentiment " +
        'mode (above) and load it there, or give one 0/1 column per emotion. ' +
        'The tagged set is unchanged.',
    );
    expect(notice?.message).not.toContain('semilab');
    expect(useEmotionStore.getState().tagged).toBe(before);
    expect(saved.has(EMOTIONS_KEY)).toBe(false);
  });

  it('keeps the CLI wording where no advice is given', () => {
    const r = readMultiLabelCsv(new TextEncoder().encode(sst), { name: 'sst.csv' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('fit it with `semilab sentiment fit`, or give one 0/1');
  });
});
