// Node side of `semilab bench mlstm`: the reviews every path featurizes and
// the prefix every path continues greedily, written to input.json for the
// page and torch_peer.py.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MLSTM_TEXTS = 'sst/val.csv';

/** What input.json holds. */
export interface MlstmInput {
  texts: string[];
  /** bytes of all texts together (UTF-8) */
  bytes: number;
  longest: number;
  prefix: string;
  steps: number;
  /** where the texts came from, for the report */
  textSource: string;
}

/** The `sentence` column of a `label,sentence` CSV (RFC 4180 quoting). */
export function csvSentences(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('\n') + 1; // skip the header
  while (i > 0 && i < text.length) {
    const comma = text.indexOf(',', i);
    if (comma < 0) break;
    i = comma + 1;
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('csv: unterminated quoted field');
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else {
      const end = text.indexOf('\n', i);
      field = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end + 1;
    }
    out.push(field.replace(/\r$/, ''));
  }
  return out;
}

/** Review-like sentences of varied lengths, when the SST data is absent. */
function syntheticTexts(n: number): string[] {
  const words = [
    'the',
    'film',
    'is',
    'a',
    'dull',
    'warm',
    'funny',
    'mess',
    'of',
    'great',
    'acting',
  ];
  return Array.from({ length: n }, (_, k) => {
    const len = 6 + ((k * 7) % 25);
    return Array.from({ length: len }, (_, j) => words[(k * 3 + j * 5) % words.length]).join(' ');
  });
}

export function writeMlstmInputs(
  dataDir: string,
  dir: string,
  count: number,
  steps: number,
): MlstmInput {
  const csv = join(dataDir, MLSTM_TEXTS);
  const fromData = existsSync(csv);
  const texts = fromData
    ? csvSentences(readFileSync(csv, 'utf8')).slice(0, count)
    : syntheticTexts(count);
  const lengths = texts.map((t) => new TextEncoder().encode(t).length);
  const input: MlstmInput = {
    texts,
    bytes: lengths.reduce((a, b) => a + b, 0),
    longest: Math.max(...lengths),
    prefix: 'This movie is',
    steps,
    textSource: fromData
      ? `first ${texts.length} sentences of ${MLSTM_TEXTS}`
      : `synthetic (no ${csv})`,
  };
  writeFileSync(join(dir, 'input.json'), `${JSON.stringify(input)}\n`);
  return input;
}
