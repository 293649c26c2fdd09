import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SEMEVAL_EMOTIONS,
  describeMultiLabel,
  labelColumn,
  readMultiLabelCsv,
} from './emotionData';

const enc = (s: string) => new TextEncoder().encode(s);
const SEMEVAL_TRAIN = '../shared/data/semeval/train.csv';

describe('readMultiLabelCsv', () => {
  it('reads the text and every 0/1 column, skipping ID columns and empty texts', () => {
    const r = readMultiLabelCsv(
      enc(',ID,Tweet,anger,joy\n0,a1,"so mad, really",1,0\n1,a2,,0,1\n2,a3,yay,0,1\n'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.names).toEqual(['anger', 'joy']);
    expect(r.value.textColumn).toBe('Tweet');
    expect(r.value.texts.map((t) => new TextDecoder().decode(t))).toEqual([
      'so mad, really',
      'yay',
    ]);
    expect(Array.from(r.value.labels)).toEqual([1, 0, 0, 1]);
    expect(r.value.skippedEmpty).toBe(1);
    expect(describeMultiLabel(r.value)).toBe(
      '2 texts, 2 labels (anger 1, joy 1); 1 empty rows skipped',
    );
    expect(Array.from(labelColumn(r.value.labels, 2, 1))).toEqual([0, 1]);
  });

  it('keeps invalid UTF-8 bytes and counts them', () => {
    const bytes = Uint8Array.from([...enc('text,love\ncaf'), 0xe9, ...enc(',1\n')]);
    const r = readMultiLabelCsv(bytes);
    expect(r.ok && r.value.invalidUtf8).toBe(1);
    expect(r.ok && Array.from(r.value.texts[0])).toEqual([0x63, 0x61, 0x66, 0xe9]);
  });

  it('explains a missing text column, no label columns, a non-binary value, an empty file', () => {
    const cases: Array<[string, RegExp]> = [
      [
        'ID,anger\n1,1\n',
        /x\.csv has no text column \(one of Tweet, text, sentence\) \(header: 'ID', 'anger'\)/,
      ],
      [',ID,Tweet\n0,a,hello\n', /x\.csv has no label columns \(header: '', 'ID', 'Tweet'\)/],
      ['Tweet,anger,joy\nhi,0,1\nho,2,0\n', /x\.csv, line 3: 'anger' must be 0 or 1 \(got '2'\)/],
      ['Tweet,anger\nhi,\n', /line 2: 'anger' must be 0 or 1 \(got an empty value\)/],
      ['Tweet,anger\n,1\n', /x\.csv holds no labelled texts \(1 empty rows skipped\)/],
      ['', /x\.csv is empty \(0 bytes\)/],
      [
        'label,sentence\n1,good\n',
        /x\.csv looks like binary sentiment data \(one 'label' column\)/,
      ],
    ];
    for (const [text, message] of cases) {
      const r = readMultiLabelCsv(enc(text), { name: 'x.csv' });
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error, text).toMatch(message);
    }
  });

  it.skipIf(!existsSync(SEMEVAL_TRAIN))('reads the SemEval E-c training file', () => {
    const r = readMultiLabelCsv(new Uint8Array(readFileSync(SEMEVAL_TRAIN)), { limit: 500 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.names).toEqual([...SEMEVAL_EMOTIONS]);
    expect(r.value.texts.length).toBe(500);
    // the first tweet: anticipation, optimism, trust
    expect(Array.from(r.value.labels.subarray(0, 11))).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});
