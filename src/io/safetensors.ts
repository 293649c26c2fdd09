// safetensors: an 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}}, then raw little-endian
// data. Pure functions: parse to Float32Arrays (F32, F16 and BF16 widen to f32)
// and write F32. Every malformed file gets a message naming what is wrong.
import { fail, ok, type Result } from '../engine/assert';

export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Map<string, NamedArray>;
  metadata: Record<string, string>;
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };
const MAX_HEADER = 100 * 1024 * 1024;

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decode(dtype: string, bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / BYTES[dtype];
  const out = new Float32Array(n);
  if (dtype === 'F32') {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === 'F16') {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    const word = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < n; i++) {
      word.setUint32(0, view.getUint16(i * 2, true) << 16, true);
      out[i] = word.getFloat32(0, true);
    }
  }
  return out;
}

export function parseSafetensors(buffer: ArrayBuffer | Uint8Array): Result<SafetensorsFile> {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.byteLength < 8) {
    return fail(`safetensors: file too short (${bytes.byteLength} bytes; expected at least 8)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.byteLength) {
    return fail(
      `safetensors: header length ${headerLength} does not fit a file of ${bytes.byteLength} bytes (truncated or not safetensors)`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    return fail('safetensors: header is not valid JSON (not a safetensors file?)');
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors = new Map<string, NamedArray>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const info = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    const { dtype = '', shape, data_offsets: offsets } = info;
    if (!(dtype in BYTES)) {
      return fail(`safetensors: ${name} has dtype ${dtype} (expected F32, F16 or BF16)`);
    }
    if (!Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) {
      return fail(`safetensors: ${name} lacks a shape or data_offsets`);
    }
    const [begin, end] = offsets;
    const expected = shape.reduce((a, b) => a * b, 1) * BYTES[dtype];
    if (end - begin !== expected) {
      return fail(
        `safetensors: ${name} holds ${end - begin} bytes (expected ${expected} for ${dtype} [${shape}])`,
      );
    }
    if (begin < 0 || end > dataLength) {
      return fail(`safetensors: ${name} ends at byte ${end} of ${dataLength} (file truncated)`);
    }
    tensors.set(name, {
      shape,
      data: decode(dtype, bytes.subarray(dataStart + begin, dataStart + end)),
    });
  }
  return ok({ tensors, metadata });
}

/** Serialises f32 arrays (sorted by name) with optional string metadata. */
export function writeSafetensors(
  tensors: Map<string, NamedArray> | Record<string, NamedArray>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors : new Map(Object.entries(tensors)))].sort(
    ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of entries) {
    header[name] = {
      dtype: 'F32',
      shape: t.shape,
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}
