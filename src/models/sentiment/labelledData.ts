// A labelled set from CSV bytes: one binary label column and one text
// column, read as bytes so invalid UTF-8 is kept (the mLSTM reads bytes).
import { fail, ok, type Result } from '../../engine/assert';
import { decodeLenient, decodeStrict, describeHeader, readCsvFile } from '../../io/csv';

export interface LabelledData {
  /** each sentence as bytes (invalid UTF-8 kept as it is) */
  texts: Uint8Array[];
  /** 1 positive, 0 negative */
  labels: Uint8Array;
  /** rows dropped because their text was empty */
  skippedEmpty: number;
  /** rows kept whose text is not valid UTF-8 */
  invalidUtf8: number;
  labelColumn: string;
  textColumn: string;
}

export interface ReadLabelledOptions {
  /** file name for messages */
  name?: string;
  /** default 'label' */
  labelColumn?: string;
  /** default: 'sentence', else 'text', else 'tweet' (case-insensitive) */
  textColumn?: string;
  /** keep only the first N data rows */
  limit?: number;
}

const TEXT_COLUMNS = ['sentence', 'text', 'tweet'];

/** Reads `label,sentence` CSV bytes; every problem comes back as a message naming the file. */
export function readLabelledCsv(
  bytes: Uint8Array,
  opts: ReadLabelledOptions = {},
): Result<LabelledData> {
  const name = opts.name ?? 'the CSV';
  const file = readCsvFile(bytes, name);
  if (!file.ok) return file;
  const { rows, lines, header, column: find } = file.value;
  const labelColumn = opts.labelColumn ?? 'label';
  const li = find(labelColumn);
  if (li < 0) {
    return fail(
      `${name} has no '${labelColumn}' column (header: ${describeHeader(header)}); ` +
        `expected a header like label,sentence`,
    );
  }
  let ti = -1;
  if (opts.textColumn) ti = find(opts.textColumn);
  else for (const c of TEXT_COLUMNS) if (ti < 0) ti = find(c);
  if (ti < 0 || ti === li) {
    const wanted = opts.textColumn
      ? `'${opts.textColumn}' column`
      : `text column (one of ${TEXT_COLUMNS.join(', ')})`;
    return fail(`${name} has no ${wanted} (header: ${describeHeader(header)})`);
  }
  const texts: Uint8Array[] = [];
  const labels: number[] = [];
  let skippedEmpty = 0;
  let invalidUtf8 = 0;
  const end = opts.limit !== undefined ? Math.min(rows.length, opts.limit + 1) : rows.length;
  for (let r = 1; r < end; r++) {
    const row = rows[r];
    const raw = row[li] ? decodeLenient(row[li]).trim() : '';
    if (raw !== '0' && raw !== '1') {
      const shown = raw === '' ? 'an empty label' : `'${raw.slice(0, 20)}'`;
      return fail(
        `${name}, line ${lines[r]}: label must be 0 or 1 (got ${shown}); ` +
          `the '${header[li]}' column must be binary`,
      );
    }
    const text = row[ti] ?? new Uint8Array(0);
    if (text.length === 0 || decodeLenient(text).trim() === '') {
      skippedEmpty++;
      continue;
    }
    if (decodeStrict(text) === null) invalidUtf8++;
    texts.push(text);
    labels.push(Number(raw));
  }
  if (texts.length === 0) {
    return fail(`${name} holds no labelled sentences (${skippedEmpty} empty rows skipped)`);
  }
  return ok({
    texts,
    labels: Uint8Array.from(labels),
    skippedEmpty,
    invalidUtf8,
    labelColumn: header[li],
    textColumn: header[ti],
  });
}

/** One line on what was read, e.g. '6920 sentences (3610 positive); 2 empty rows skipped'. */
export function describeLabelled(d: LabelledData): string {
  const positive = d.labels.reduce((a, b) => a + b, 0);
  const notes = [
    d.skippedEmpty ? `${d.skippedEmpty} empty rows skipped` : '',
    d.invalidUtf8 ? `${d.invalidUtf8} rows are not valid UTF-8 (read as raw bytes)` : '',
  ].filter(Boolean);
  return (
    `${d.texts.length} sentences (${positive} positive)` +
    (notes.length ? `; ${notes.join('; ')}` : '')
  );
}
