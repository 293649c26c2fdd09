import { describe, expect, it } from 'vitest';
import { csvLine, decodeLenient, decodeStrict, describeHeader, parseCsv, readCsvFile } from './csv';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (s: string) => {
  const r = parseCsv(enc(s));
  if (!r.ok) throw new Error(r.error);
  return r.value.rows.map((row) => row.map((f) => new TextDecoder().decode(f)));
};

describe('parseCsv', () => {
  it('splits plain records with LF and CRLF line ends', () => {
    expect(text('a,b\n1,two\r\n3,\n')).toEqual([
      ['a', 'b'],
      ['1', 'two'],
      ['3', ''],
    ]);
    expect(text('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('unquotes fields with commas, escaped quotes and line breaks', () => {
    const rows = text('label,sentence\n1,"A stirring, ""funny""\nfilm"\n0,plain\n');
    expect(rows).toEqual([
      ['label', 'sentence'],
      ['1', 'A stirring, "funny"\nfilm'],
      ['0', 'plain'],
    ]);
    const r = parseCsv(enc('h\n"x\ny"\nz\n'));
    expect(r.ok && r.value.lines).toEqual([1, 2, 4]);
  });

  it('skips a BOM and blank lines, and keeps a stray quote in an unquoted field', () => {
    expect(text('\ufeffa\n\n\r\nsay "hi"\n')).toEqual([['a'], ['say "hi"']]);
  });

  it('passes invalid UTF-8 through as bytes', () => {
    const bytes = Uint8Array.from([...enc('label,sentence\n1,caf'), 0xe9, 0xff, 0x0a]);
    const r = parseCsv(bytes);
    if (!r.ok) throw new Error(r.error);
    const field = r.value.rows[1][1];
    expect(Array.from(field)).toEqual([...enc('caf'), 0xe9, 0xff]);
    expect(decodeStrict(field)).toBeNull();
    expect(decodeLenient(field)).toBe('caf\ufffd\ufffd');
  });

  it('reports a quote that never closes and junk after a closing quote', () => {
    const open = parseCsv(enc('a,b\n1,"never\nends\n'));
    expect(open.ok).toBe(false);
    expect(!open.ok && open.error).toMatch(/quoted field opened on line 2 never closes/);
    const junk = parseCsv(enc('a\n"x"y\n'));
    expect(!junk.ok && junk.error).toMatch(/line 2: unexpected character after a closing quote/);
  });

  it('round-trips fields through csvLine', () => {
    const fields = ['1', 'he said "no", then\nleft', ''];
    expect(text(csvLine(fields) + '\n')).toEqual([fields]);
  });

  it('describes a header for a message without control bytes, long fields or endless lists', () => {
    expect(describeHeader(['label', 'sentence'])).toBe("'label', 'sentence'");
    const binary = decodeLenient(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0xff, 0xfe));
    expect(describeHeader([binary])).toMatch(/^'\?ELF\?+'$/);
    expect(describeHeader(['x'.repeat(30)])).toBe(`'${'x'.repeat(24)}…'`);
    const many = Array.from({ length: 12 }, (_, i) => `c${i}`);
    expect(describeHeader(many)).toBe(
      `${many
        .slice(0, 8)
        .map((c) => `'${c}'`)
        .join(', ')}, … (12 fields)`,
    );
  });
});

describe('readCsvFile', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('finds header columns case-insensitively and names the file in every problem', () => {
    const file = readCsvFile(bytes(' Label ,Sentence\n1,good\n'), 'train.csv');
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    expect(file.value.header).toEqual(['Label', 'Sentence']);
    expect(file.value.column('sentence')).toBe(1);
    expect(file.value.column('tweet')).toBe(-1);
    expect(file.value.lines).toEqual([1, 2]);
    expect(readCsvFile(new Uint8Array(0), 'a.csv')).toEqual({
      ok: false,
      error: 'a.csv is empty (0 bytes)',
    });
    const broken = readCsvFile(bytes('label,sentence\n1,"open'), 'b.csv');
    expect(!broken.ok && broken.error.startsWith('b.csv: ')).toBe(true);
    expect(readCsvFile(bytes('\n\n'), 'c.csv')).toEqual({
      ok: false,
      error: 'c.csv holds no rows',
    });
  });
});
