// NumPy .npy files (format 1.0) holding little-endian float32 in C order:
// what `semilab mel` writes and what numpy.load reads. Pure functions.
import { fail, ok, type Result } from '../engine/assert';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

/** Encodes `data` with `shape` as a .npy file. Throws when the sizes disagree. */
export function writeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new Error(
      `writeNpy: data length does not match shape (expected ${size}, got ${data.length})`,
    );
  }
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // magic(6) + version(2) + header length(2) + header, padded with spaces to 64 bytes, ends in \n
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, total);
  for (let i = 0; i < data.length; i++) body.setFloat32(i * 4, data[i], true);
  return out;
}

/** Decodes a .npy file of little-endian float32 in C order (versions 1-3). */
export function readNpy(bytes: Uint8Array): Result<NpyArray> {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    return fail('readNpy: not a .npy file (missing \\x93NUMPY magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = lenBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (start + headerLen > bytes.length) return fail('readNpy: header is cut off');
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr !== '<f4')
    return fail(`readNpy: only little-endian float32 is supported (got ${descr})`);
  if (fortran !== 'False') return fail('readNpy: Fortran-ordered arrays are not supported');
  if (shapeText === undefined) return fail('readNpy: header has no shape');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (bytes.length - dataStart < size * 4) {
    return fail(
      `readNpy: data is cut off (expected ${size * 4} bytes, got ${bytes.length - dataStart})`,
    );
  }
  const data = new Float32Array(size);
  const body = new DataView(bytes.buffer, bytes.byteOffset + dataStart, size * 4);
  for (let i = 0; i < size; i++) data[i] = body.getFloat32(i * 4, true);
  return ok({ data, shape });
}
