// Test helper: writes WAV files byte by byte (independent of `wavefile`), so
// decoder tests do not check the decoder against itself.

export interface WavSpec {
  sampleRate: number;
  /** one array per channel, values in [-1, 1] */
  channels: ArrayLike<number>[];
  bits: 8 | 16 | 24 | 32;
  float?: boolean;
  /** WAVE format code override (e.g. 7 for mu-law) */
  formatCode?: number;
}

/** Integer code of a [-1, 1] value at `bits` bits (8-bit is unsigned). */
export function pcmCode(v: number, bits: number): number {
  const full = 2 ** (bits - 1);
  const code = Math.max(-full, Math.min(full - 1, Math.round(v * full)));
  return bits === 8 ? code + 128 : code;
}

export function makeWav(spec: WavSpec): Uint8Array {
  const { sampleRate, channels, bits, float = false } = spec;
  const frames = channels[0]?.length ?? 0;
  const blockAlign = (channels.length * bits) / 8;
  const dataBytes = frames * blockAlign;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) =>
    [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, spec.formatCode ?? (float ? 3 : 1), true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  let at = 44;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      const v = ch[i];
      if (float) view.setFloat32(at, v, true);
      else if (bits === 8) view.setUint8(at, pcmCode(v, 8));
      else if (bits === 16) view.setInt16(at, pcmCode(v, 16), true);
      else if (bits === 24) {
        const c = pcmCode(v, 24);
        view.setUint8(at, c & 0xff);
        view.setUint8(at + 1, (c >> 8) & 0xff);
        view.setInt8(at + 2, c >> 16);
      } else view.setInt32(at, pcmCode(v, 32), true);
      at += bits / 8;
    }
  }
  return out;
}

/** `seconds` of amplitude * sin(2 pi freq t) at `rate`. */
export function sine(rate: number, seconds: number, freq: number, amplitude = 0.5): Float64Array {
  const n = Math.round(rate * seconds);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}
