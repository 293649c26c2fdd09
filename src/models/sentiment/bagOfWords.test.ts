import { describe, expect, it } from 'vitest';
import { bagOfWords, fitBagOfWords, words } from './bagOfWords';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('bag of words', () => {
  it('splits bytes into lowercased words, keeping apostrophes and non-ASCII bytes', () => {
    expect(words(enc("It's GOOD, naïve -- fun!")).map(dec)).toEqual([
      "it's",
      'good',
      'naïve',
      'fun',
    ]);
    expect(words(Uint8Array.of(0x41, 0xff, 0x20, 0x62)).map((w) => Array.from(w))).toEqual([
      [0x61, 0xff],
      [0x62],
    ]);
  });

  it('hashes unigrams and bigrams into binary presence features', () => {
    const x = bagOfWords([enc('good film good'), enc('')], 16);
    // good, film, "good film", "film good": 4 distinct (the repeated unigram counts once)
    expect(x.offsets[1] - x.offsets[0]).toBe(4);
    expect(x.offsets[2] - x.offsets[1]).toBe(0);
    expect(x.width).toBe(65536);
    expect(Array.from(x.values).every((v) => v === 1)).toBe(true);
    const again = bagOfWords([enc('Good film good')], 16);
    expect(Array.from(again.cols)).toEqual(Array.from(x.cols.subarray(0, 4)));
  });

  it('learns a separable toy vocabulary to full validation accuracy', () => {
    const fill = ['the plot', 'this film', 'a cast', 'its score', 'the ending'];
    const make = (n: number, offset: number) => {
      const texts: Uint8Array[] = [];
      const labels: number[] = [];
      for (let i = 0; i < n; i++) {
        const y = (i + offset) % 2;
        texts.push(enc(`${fill[(i * 3 + offset) % 5]} was ${y ? 'wonderful' : 'awful'}`));
        labels.push(y);
      }
      return { texts, labels: Uint8Array.from(labels) };
    };
    const r = fitBagOfWords(make(40, 0), make(20, 1));
    expect(r.accuracy).toBe(1);
    expect(r.nonZero).toBeGreaterThan(0);
    expect(r.grid.length).toBe(6);
  });
});
