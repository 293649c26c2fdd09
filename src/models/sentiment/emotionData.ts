// A multi-label set from CSV bytes (SemEval-2018 E-c style: `,ID,Tweet,anger,...`):
// one text column and any number of 0/1 label columns, read as bytes so
// invalid UTF-8 is kept (the mLSTM reads bytes). Every column that is not the
// text and not an identifier (an empty header, `id`, `index`) is a label.
import { fail, ok, type Result } from '../../engine/assert';
import { decodeLenient, decodeStrict, describeHeader, readCsvFile } from '../../io/csv';

/** The 11 emotions of SemEval-2018 Task 1 E-c, in the files' column order. */
export const SEMEVAL_EMOTIONS = [
  'anger',
  'anticipation',
  'disgust',
  'fear',
  'joy',
  'love',
  'optimism',
  'pessimism',
  'sadness',
  'surprise',
  'trust',
] as const;

export interface MultiLabelData {
  /** each text as bytes (invalid UTF-8 kept as it is) */
  texts: Uint8Array[];
  /** label names, in column order */
  names: string[];
  /** [N, K] row-major, 1 where text i carries label k */
  labels: Uint8Array;
  /** rows dropped because their text was empty */
  skippedEmpty: number;
  /** rows kept whose text is not valid UTF-8 */
  invalidUtf8: number;
  textColumn: string;
}

export interface ReadMultiLabelOptions {
  /** file name for messages */
  name?: string;
  /** default: 'tweet', else 'text', else 'sentence' (case-insensitive) */
  textColumn?: string;
  /** keep only the first N data rows */
  limit?: number;
  /** what to do with binary `label,sentence` data (default: the CLI's `semilab sentiment fit`) */
  binaryAdvice?: string;
}

const TEXT_COLUMNS = ['tweet', 'text', 'sentence'];
const ID_COLUMNS = ['', 'id', 'index'];

/** Reads multi-label CSV bytes; every problem comes back as a message naming the file. */
export function readMultiLabelCsv(
  bytes: Uint8Array,
  opts: ReadMultiLabelOptions = {},
): Result<MultiLabelData> {
  const name = opts.name ?? 'the CSV';
  const file = readCsvFile(bytes, name);
  if (!file.ok) return file;
  const { rows, lines, header, column: find } = file.value;
  const shown = describeHeader(header);
  let ti = -1;
  if (opts.textColumn) ti = find(opts.textColumn);
  else for (const c of TEXT_COLUMNS) if (ti < 0) ti = find(c);
  if (ti < 0) {
    const wanted = opts.textColumn
      ? `'${opts.textColumn}' column`
      : 'text column (one of Tweet, text, sentence)';
    return fail(`${name} has no ${wanted} (header: ${shown})`);
  }
  const labelCols = header
    .map((_, i) => i)
    .filter((i) => i !== ti && !ID_COLUMNS.includes(header[i].toLowerCase()));
  if (labelCols.length === 0) {
    return fail(
      `${name} has no label columns (header: ${shown}); ` +
        `expected a header like ID,Tweet,anger,joy,... with one 0/1 column per emotion`,
    );
  }
  if (labelCols.length === 1 && header[labelCols[0]].toLowerCase() === 'label') {
    return fail(
      `${name} looks like binary sentiment data (one 'label' column): ` +
        `${opts.binaryAdvice ?? 'fit it with `semilab sentiment fit`'}, ` +
        `or give one 0/1 column per emotion`,
    );
  }
  const texts: Uint8Array[] = [];
  const labels: number[] = [];
  let skippedEmpty = 0;
  let invalidUtf8 = 0;
  const end = opts.limit !== undefined ? Math.min(rows.length, opts.limit + 1) : rows.length;
  for (let r = 1; r < end; r++) {
    const row = rows[r];
    const values: number[] = [];
    for (const c of labelCols) {
      const raw = row[c] ? decodeLenient(row[c]).trim() : '';
      if (raw !== '0' && raw !== '1') {
        const got = raw === '' ? 'an empty value' : `'${raw.slice(0, 20)}'`;
        return fail(
          `${name}, line ${lines[r]}: '${header[c]}' must be 0 or 1 (got ${got}); ` +
            `every column but the text and ID columns is read as a 0/1 label`,
        );
      }
      values.push(Number(raw));
    }
    const text = row[ti] ?? new Uint8Array(0);
    if (text.length === 0 || decodeLenient(text).trim() === '') {
      skippedEmpty++;
      continue;
    }
    if (decodeStrict(text) === null) invalidUtf8++;
    texts.push(text);
    labels.push(...values);
  }
  if (texts.length === 0) {
    return fail(`${name} holds no labelled texts (${skippedEmpty} empty rows skipped)`);
  }
  return ok({
    texts,
    names: labelCols.map((c) => header[c]),
    labels: Uint8Array.from(labels),
    skippedEmpty,
    invalidUtf8,
    textColumn: header[ti],
  });
}

/** Column `k` of [N, K] row-major 0/1 labels. */
export function labelColumn(labels: Uint8Array, k: number, col: number): Uint8Array {
  const n = labels.length / k;
  return Uint8Array.from({ length: n }, (_, i) => labels[i * k + col]);
}

/** One line on what was read, e.g. '40 texts, 2 labels (anger 20, joy 15)' */
export function describeMultiLabel(d: MultiLabelData): string {
  const k = d.names.length;
  const counts = d.names.map(
    (n, c) => `${n} ${labelColumn(d.labels, k, c).reduce((a, v) => a + v, 0)}`,
  );
  const notes = [
    d.skippedEmpty ? `${d.skippedEmpty} empty rows skipped` : '',
    d.invalidUtf8 ? `${d.invalidUtf8} rows are not valid UTF-8 (read as raw bytes)` : '',
  ].filter(Boolean);
  return (
    `${d.texts.length} texts, ${k} labels (${counts.join(', ')})` +
    (notes.length ? `; ${notes.join('; ')}` : '')
  );
}
