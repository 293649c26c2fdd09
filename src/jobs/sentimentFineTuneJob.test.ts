// The page's fine-tuning split and time estimate (pure functions; the job
// itself runs in e2e/tests/finetune-sentiment.spec.ts).
import { describe, expect, it } from 'vitest';
import { estimateSeconds, MAX_FINETUNE_EXAMPLES, splitForFineTune } from './sentimentFineTuneJob';

const text = (n: number) => new Uint8Array(n).fill(97);

describe('splitForFineTune', () => {
  it('holds out about a quarter of each class, at least one where a class has two', () => {
    const labels = Uint8Array.of(1, 0, 1, 0, 1, 0, 1, 1, 1, 1);
    const texts = [...labels.keys()].map((i) => text(i + 1));
    const { train, val } = splitForFineTune(texts, labels);
    // 7 positive -> 2 held out; 3 negative -> 1 held out
    expect(Array.from(val.labels).sort()).toEqual([0, 1, 1]);
    expect(train.texts.length).toBe(7);
    // the held-out examples are the last of each class, never also in training
    expect(val.texts.map((t) => t.length).sort((a, b) => a - b)).toEqual([6, 9, 10]);
    for (const t of val.texts) expect(train.texts).not.toContain(t);
  });

  it('holds out nothing from a class of one, and caps the set evenly', () => {
    const one = splitForFineTune([text(1), text(2), text(3)], Uint8Array.of(1, 0, 0));
    expect(Array.from(one.val.labels)).toEqual([0]);
    expect(Array.from(one.train.labels).sort()).toEqual([0, 1]);
    const many = 200;
    const labels = Uint8Array.from({ length: many }, (_, i) => (i < 150 ? 1 : 0));
    const big = splitForFineTune(
      Array.from({ length: many }, () => text(4)),
      labels,
    );
    const used = big.train.texts.length + big.val.texts.length;
    expect(used).toBe(MAX_FINETUNE_EXAMPLES);
    const positives = [...big.train.labels, ...big.val.labels].filter((y) => y === 1).length;
    expect(positives).toBe(MAX_FINETUNE_EXAMPLES / 2);
  });
});

describe('estimateSeconds', () => {
  it('counts three passes per training byte and one per validation byte per evaluation', () => {
    const split = splitForFineTune(
      [text(100), text(100), text(10), text(10)],
      Uint8Array.of(1, 0, 1, 0),
    );
    // train: two texts of 100 bytes cut to 40; val: two of 10
    const seconds = estimateSeconds(split, { epochs: 2, maxBytes: 40 }, true);
    expect(seconds).toBeCloseTo((3 * 80 * 2 + 20 * 3) / 80, 6);
    expect(estimateSeconds(split, { epochs: 2, maxBytes: 40 }, false)).toBeLessThan(seconds / 10);
  });
});
