// Reads the RIFF/WAVE header (format, rate, channels, where the samples are)
// without decoding samples. Pure and dependency-free, so the page can check a
// file's length and format before handing it to the browser's decoder.
import { fail, ok, type Result } from '../engine/assert';
import type { AudioError } from './audioTypes';

export type WavEncoding = 'pcm' | 'float';

export interface WavHeader {
  container: 'RIFF' | 'RIFX' | 'RF64';
  encoding: WavEncoding;
  /** WAVE format code (1 PCM, 3 float, from the sub-format when 0xFFFE) */
  formatCode: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** bytes per frame (all channels) */
  blockAlign: number;
  /** byte offset of the first sample */
  dataOffset: number;
  /** bytes of sample data present in the file */
  dataBytes: number;
  /** whole frames present in the file */
  frames: number;
  /** the data chunk claims more bytes than the file holds */
  truncated: boolean;
}

const SUPPORTED_BITS: Record<WavEncoding, number[]> = { pcm: [8, 16, 24, 32], float: [32, 64] };

function text4(view: DataView, at: number): string {
  return String.fromCharCode(
    view.getUint8(at),
    view.getUint8(at + 1),
    view.getUint8(at + 2),
    view.getUint8(at + 3),
  );
}

/** True when `bytes` start like a WAV file (RIFF/RIFX/RF64 ... WAVE). */
export function looksLikeWav(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return ['RIFF', 'RIFX', 'RF64'].includes(text4(view, 0)) && text4(view, 8) === 'WAVE';
}

/**
 * Parses the header of a WAV file named `name` (for messages).
 * Errors: 'empty' (0 bytes or no samples), 'not-audio' (no RIFF/WAVE
 * signature), 'corrupt' (missing or cut-off fmt/data chunk, impossible
 * values), 'unsupported' (an encoding other than PCM 8/16/24/32-bit or
 * float 32/64).
 */
export function readWavHeader(bytes: Uint8Array, name = 'the file'): Result<WavHeader, AudioError> {
  if (bytes.length === 0) return fail({ code: 'empty', message: `${name} is empty (0 bytes).` });
  if (!looksLikeWav(bytes)) {
    return fail({ code: 'not-audio', message: `${name} is not a WAV file (no RIFF/WAVE header).` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const container = text4(view, 0) as WavHeader['container'];
  const little = container !== 'RIFX';
  const corrupt = (what: string) =>
    fail<AudioError>({ code: 'corrupt', message: `${name} is a damaged WAV file: ${what}.` });

  let fmt: { at: number; size: number } | null = null;
  let data: { at: number; size: number } | null = null;
  let rf64DataSize: number | null = null;
  let at = 12;
  while (at + 8 <= bytes.length && !(fmt && data)) {
    const id = text4(view, at);
    let size = view.getUint32(at + 4, little);
    if (id === 'ds64' && size >= 16 && at + 8 + 16 <= bytes.length) {
      // RF64: 64-bit sizes; the data size sits after the RIFF size
      rf64DataSize = view.getUint32(at + 16, true) + view.getUint32(at + 20, true) * 2 ** 32;
    }
    if (id === 'data' && container === 'RF64' && size === 0xffffffff && rf64DataSize !== null) {
      size = rf64DataSize;
    }
    if (id === 'fmt ') fmt = { at: at + 8, size };
    if (id === 'data') data = { at: at + 8, size };
    at += 8 + size + (size % 2);
  }
  if (!fmt) return corrupt('no format (fmt) chunk, the header is missing or cut off');
  if (fmt.size < 16 || fmt.at + 16 > bytes.length) return corrupt('the format chunk is cut off');
  if (!data) return corrupt('no data chunk, the file is cut off before the samples');

  let formatCode = view.getUint16(fmt.at, little);
  const channels = view.getUint16(fmt.at + 2, little);
  const sampleRate = view.getUint32(fmt.at + 4, little);
  const blockAlign = view.getUint16(fmt.at + 12, little);
  const bitsPerSample = view.getUint16(fmt.at + 14, little);
  if (formatCode === 0xfffe) {
    if (fmt.size < 26 || fmt.at + 26 > bytes.length)
      return corrupt('the extensible format chunk is cut off');
    formatCode = view.getUint16(fmt.at + 24, little);
  }
  if (channels === 0) return corrupt('it declares 0 channels');
  if (sampleRate === 0) return corrupt('it declares a sample rate of 0 Hz');
  const encoding: WavEncoding | null = formatCode === 1 ? 'pcm' : formatCode === 3 ? 'float' : null;
  if (!encoding || !SUPPORTED_BITS[encoding].includes(bitsPerSample)) {
    const kind = encoding ?? `format code ${formatCode}`;
    return fail({
      code: 'unsupported',
      message:
        `${name} uses a WAV encoding that is not supported (${kind}, ${bitsPerSample}-bit); ` +
        'use PCM 8/16/24/32-bit or 32-bit float.',
    });
  }
  if (blockAlign !== (channels * bitsPerSample) / 8) {
    return corrupt(
      `its block size ${blockAlign} does not match ${channels} x ${bitsPerSample}-bit samples`,
    );
  }
  const dataBytes = Math.max(0, Math.min(data.size, bytes.length - data.at));
  const frames = Math.floor(dataBytes / blockAlign);
  if (frames === 0) return fail({ code: 'empty', message: `${name} holds no audio (0 samples).` });
  return ok({
    container,
    encoding,
    formatCode,
    sampleRate,
    channels,
    bitsPerSample,
    blockAlign,
    dataOffset: data.at,
    dataBytes,
    frames,
    truncated: data.size > dataBytes,
  });
}
