// RFC 4180 CSV on bytes: fields are split on the ASCII bytes `,` `"` CR LF,
// so UTF-8 text (valid or not) passes through untouched and the caller
// decides how to read each field. No npm CSV parser is installed, hence this.
import { fail, ok, type Result } from '../engine/assert';

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export interface CsvTable {
  /** every record, header included, each field as bytes (quotes removed, "" unescaped) */
  rows: Uint8Array[][];
  /** 1-based line on which each record starts, for messages */
  lines: number[];
}

/**
 * Parses RFC 4180 CSV: CRLF or LF line ends, quoted fields with "" escapes
 * and embedded line breaks, a UTF-8 BOM skipped, a final line break
 * optional, blank lines skipped. A quote inside an unquoted field is kept as
 * a literal byte (lenient, as spreadsheets write it). Fails on a quoted field
 * that never closes or a closing quote followed by something else.
 */
export function parseCsv(bytes: Uint8Array): Result<CsvTable> {
  const rows: Uint8Array[][] = [];
  const lines: number[] = [];
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  const n = bytes.length;
  while (i < n) {
    // blank line: skip
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] === LF)) {
      i += bytes[i] === CR ? 2 : 1;
      line++;
      continue;
    }
    const startLine = line;
    const fields: Uint8Array[] = [];
    for (;;) {
      if (bytes[i] === QUOTE) {
        const openLine = line;
        const parts: number[] = [];
        let j = i + 1;
        for (;;) {
          if (j >= n) return fail(`csv: quoted field opened on line ${openLine} never closes`);
          const b = bytes[j];
          if (b === QUOTE) {
            if (bytes[j + 1] === QUOTE) {
              parts.push(QUOTE);
              j += 2;
              continue;
            }
            j++;
            break;
          }
          if (b === LF) line++;
          parts.push(b);
          j++;
        }
        fields.push(Uint8Array.from(parts));
        i = j;
        const next = bytes[i];
        if (i < n && next !== COMMA && next !== LF && !(next === CR && bytes[i + 1] === LF)) {
          return fail(
            `csv: line ${line}: unexpected character after a closing quote (expected , or line end)`,
          );
        }
      } else {
        let j = i;
        while (j < n && bytes[j] !== COMMA && bytes[j] !== LF) j++;
        // a CR right before LF belongs to the line end
        const end = j < n && bytes[j] === LF && j > i && bytes[j - 1] === CR ? j - 1 : j;
        fields.push(bytes.slice(i, end));
        i = j;
      }
      if (i < n && bytes[i] === COMMA) {
        i++;
        continue;
      }
      // line end or end of input
      if (i < n && bytes[i] === CR) i++;
      if (i < n && bytes[i] === LF) {
        i++;
        line++;
      }
      break;
    }
    rows.push(fields);
    lines.push(startLine);
  }
  return ok({ rows, lines });
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** The field as text, or null when it is not valid UTF-8. */
export function decodeStrict(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/** The field as text, invalid UTF-8 shown as U+FFFD. */
export function decodeLenient(bytes: Uint8Array): string {
  return lenient.decode(bytes);
}

/** One CSV record: fields quoted when they hold a comma, quote or line break. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

/**
 * A CSV header for a message: each field quoted, cut to 24 characters, with
 * control and undecodable characters shown as '?', at most 8 fields, so a
 * binary file chosen by mistake does not fill the message with noise.
 */
export function describeHeader(header: readonly string[]): string {
  const field = (h: string) => {
    const clean = h.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
    return `'${clean.length > 24 ? `${clean.slice(0, 24)}…` : clean}'`;
  };
  const shown = header.slice(0, 8).map(field).join(', ');
  return header.length > 8 ? `${shown}, … (${header.length} fields)` : shown;
}

export interface CsvFile extends CsvTable {
  /** the first record as trimmed text */
  header: string[];
  /** index of the header field equal to `name` (case-insensitive), or -1 */
  column(name: string): number;
}

/**
 * A CSV file with a header row, for readers of labelled data: every problem (empty file,
 * broken quoting, no rows) comes back as a message that names the file.
 */
export function readCsvFile(bytes: Uint8Array, name: string): Result<CsvFile> {
  if (bytes.length === 0) return fail(`${name} is empty (0 bytes)`);
  const parsed = parseCsv(bytes);
  if (!parsed.ok) return fail(`${name}: ${parsed.error.replace(/^csv: /, '')}`);
  const { rows, lines } = parsed.value;
  if (rows.length === 0) return fail(`${name} holds no rows`);
  const header = rows[0].map((f) => decodeLenient(f).trim());
  const column = (col: string) => header.findIndex((h) => h.toLowerCase() === col.toLowerCase());
  return ok({ rows, lines, header, column });
}
