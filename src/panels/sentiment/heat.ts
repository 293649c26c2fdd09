// Colours and labels for the heat map and the next-byte list.

/** red (-1) through a pale neutral (0) to green (+1); values beyond are clamped */
export function heatColor(z: number): string {
  const t = Math.max(-1, Math.min(1, Number.isFinite(z) ? z : 0));
  const mix = (a: number, b: number, f: number) => Math.round(a + (b - a) * f);
  const neutral = [245, 245, 240];
  const end = t < 0 ? [214, 48, 49] : [39, 174, 96];
  const f = Math.abs(t);
  return `rgb(${mix(neutral[0], end[0], f)}, ${mix(neutral[1], end[1], f)}, ${mix(neutral[2], end[2], f)})`;
}

/** How a byte is shown in a cell: printable ASCII as is, others by name or hex. */
export function byteLabel(byte: number): string {
  if (byte === 0x20) return '\u2423';
  if (byte === 0x0a) return '\u21b5';
  if (byte === 0x09) return '\u21e5';
  if (byte > 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return byte.toString(16).padStart(2, '0');
}

/** The k most likely next bytes from a logits row: byte, probability, label. */
export function topBytes(logits: ArrayLike<number>, k = 5): Array<{ byte: number; p: number }> {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e
    .map((v, byte) => ({ byte, p: v / total }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k);
}

/**
 * Cells of a UTF-8 byte string: each byte gets one; a multi-byte character
 * is shown in its first byte's cell, its continuation bytes stay blank.
 */
export function byteCells(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const len = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 1;
    let ch: string | null = null;
    if (len > 1 && i + len <= bytes.length) {
      try {
        ch = dec.decode(bytes.subarray(i, i + len));
      } catch {
        ch = null;
      }
    }
    if (ch === null) {
      out.push(byteLabel(b));
      i++;
      continue;
    }
    out.push(ch);
    for (let k = 1; k < len; k++) out.push('');
    i += len;
  }
  return out;
}
