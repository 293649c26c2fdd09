// The project file: every saved work item in one JSON document. Values are
// structured-clone data; what JSON cannot hold (typed arrays, ArrayBuffer,
// Blob, Date, Map, Set, NaN/Infinity/-0, undefined, bigint) becomes a tagged
// object { $t: tag, ... } with binary data in base64 (little-endian, as the
// page stores it). Pure functions: tested without a browser.

export const PROJECT_FORMAT = 'semilab-project';
export const PROJECT_VERSION = 1;

export interface ProjectFile {
  format: typeof PROJECT_FORMAT;
  version: number;
  /** ISO time of export */
  exportedAt: string;
  items: Array<{ key: string; value: unknown }>;
}

export type DecodeResult =
  { ok: true; value: Array<[string, unknown]> } | { ok: false; error: string };

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function isTypedArrayName(name: string): name is TypedArrayName {
  return Object.prototype.hasOwnProperty.call(TYPED_ARRAYS, name);
}

// ---- base64 (btoa/atob exist in browsers and Node >= 16)

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---- encode

/** Encodes one structured-clone value as JSON-safe data. Throws on what cannot be cloned. */
export async function encodeValue(value: unknown, path = 'value'): Promise<unknown> {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value === undefined) return { $t: 'undefined' };
  if (typeof value === 'number') {
    if (Number.isNaN(value) || !Number.isFinite(value) || Object.is(value, -0)) {
      return { $t: 'number', v: Object.is(value, -0) ? '-0' : String(value) };
    }
    return value;
  }
  if (typeof value === 'bigint') return { $t: 'bigint', v: value.toString() };
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (name === 'DataView') return { $t: 'DataView', b64: bytesToBase64(bytes) };
    if (!isTypedArrayName(name)) throw new Error(`projectCodec: ${path} is an unsupported ${name}`);
    return { $t: name, b64: bytesToBase64(bytes) };
  }
  if (value instanceof ArrayBuffer) {
    return { $t: 'ArrayBuffer', b64: bytesToBase64(new Uint8Array(value)) };
  }
  if (typeof Blob !== 'undefined' && value instanceof Blob) {
    const bytes = new Uint8Array(await value.arrayBuffer());
    return { $t: 'Blob', type: value.type, b64: bytesToBase64(bytes) };
  }
  if (value instanceof Date) return { $t: 'Date', v: value.toISOString() };
  if (value instanceof Map) {
    const entries: unknown[] = [];
    let i = 0;
    for (const [k, v] of value) {
      const key = await encodeValue(k, `${path}.<key ${i}>`);
      entries.push([key, await encodeValue(v, `${path}.<${i}>`)]);
      i++;
    }
    return { $t: 'Map', entries };
  }
  if (value instanceof Set) {
    const items: unknown[] = [];
    let i = 0;
    for (const v of value) items.push(await encodeValue(v, `${path}.<${i++}>`));
    return { $t: 'Set', items };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await encodeValue(value[i], `${path}[${i}]`));
    return out;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await encodeValue(v, `${path}.${k}`);
    // NOTE: a user object that itself has a '$t' key is wrapped so decode cannot mistake it
    return '$t' in out ? { $t: 'Object', v: out } : out;
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new Error(`projectCodec: ${path} cannot be saved (a ${kind})`);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export async function encodeProject(
  items: Array<[string, unknown]>,
  now: Date = new Date(),
): Promise<ProjectFile> {
  const encoded: ProjectFile['items'] = [];
  for (const [key, value] of items) encoded.push({ key, value: await encodeValue(value, key) });
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    exportedAt: now.toISOString(),
    items: encoded,
  };
}

// ---- decode

class DecodeError extends Error {}

function need(condition: unknown, path: string, what: string): asserts condition {
  if (!condition) throw new DecodeError(`${path}: ${what}`);
}

function decodeBytes(data: Record<string, unknown>, path: string): Uint8Array {
  need(typeof data.b64 === 'string', path, 'binary data missing (expected base64 text in b64)');
  try {
    return base64ToBytes(data.b64 as string);
  } catch {
    throw new DecodeError(`${path}: binary data is not valid base64`);
  }
}

/** Decodes what `encodeValue` produced. Throws a message naming the bad path. */
export function decodeValue(data: unknown, path = 'value'): unknown {
  if (data === null || typeof data === 'string' || typeof data === 'boolean') return data;
  if (typeof data === 'number') return data;
  if (Array.isArray(data)) return data.map((v, i) => decodeValue(v, `${path}[${i}]`));
  need(typeof data === 'object', path, `unexpected ${typeof data}`);
  const obj = data as Record<string, unknown>;
  if (!('$t' in obj)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = decodeValue(v, `${path}.${k}`);
    return out;
  }
  const tag = obj.$t;
  need(typeof tag === 'string', path, 'type tag $t is not a string');
  switch (tag) {
    case 'undefined':
      return undefined;
    case 'number': {
      const table: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 };
      const ok = typeof obj.v === 'string' && obj.v in table;
      need(ok, path, `bad special number ${String(obj.v)}`);
      return table[obj.v as string];
    }
    case 'bigint':
      need(typeof obj.v === 'string' && /^-?\d+$/.test(obj.v), path, 'bad bigint');
      return BigInt(obj.v as string);
    case 'ArrayBuffer':
      return decodeBytes(obj, path).slice().buffer;
    case 'DataView':
      return new DataView(decodeBytes(obj, path).slice().buffer);
    case 'Blob':
      need(typeof obj.type === 'string', path, 'Blob type missing');
      return new Blob([decodeBytes(obj, path).slice()], { type: obj.type as string });
    case 'Date': {
      const date = new Date(typeof obj.v === 'string' ? obj.v : NaN);
      need(!Number.isNaN(date.getTime()), path, 'bad date');
      return date;
    }
    case 'Map':
      need(Array.isArray(obj.entries), path, 'Map entries missing');
      return new Map(
        (obj.entries as unknown[]).map((entry, i) => {
          need(Array.isArray(entry) && entry.length === 2, `${path}.<${i}>`, 'not a [key, value]');
          const key = decodeValue(entry[0], `${path}.<key ${i}>`);
          return [key, decodeValue(entry[1], `${path}.<${i}>`)];
        }),
      );
    case 'Set':
      need(Array.isArray(obj.items), path, 'Set items missing');
      return new Set((obj.items as unknown[]).map((v, i) => decodeValue(v, `${path}.<${i}>`)));
    case 'Object': {
      const isObject = obj.v !== null && typeof obj.v === 'object' && !Array.isArray(obj.v);
      need(isObject, path, 'bad object');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj.v as object)) out[k] = decodeValue(v, `${path}.${k}`);
      return out;
    }
    default: {
      need(isTypedArrayName(tag), path, `unknown type tag '${tag}'`);
      const Ctor = TYPED_ARRAYS[tag];
      const bytes = decodeBytes(obj, path);
      need(
        bytes.byteLength % Ctor.BYTES_PER_ELEMENT === 0,
        path,
        `${tag} data has ${bytes.byteLength} bytes, not a multiple of ${Ctor.BYTES_PER_ELEMENT}`,
      );
      return new Ctor(bytes.slice().buffer);
    }
  }
}

/**
 * Parses and validates a whole project file. Either every item decodes, or
 * the result is an error message saying what is wrong and where.
 */
export function decodeProject(text: string): DecodeResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const reason = (err as Error).message;
    return { ok: false, error: `not a Semilab project file: it is not valid JSON (${reason})` };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, error: 'not a Semilab project file: expected a JSON object' };
  }
  const file = data as Record<string, unknown>;
  if (file.format !== PROJECT_FORMAT) {
    return {
      ok: false,
      error:
        `not a Semilab project file (expected format '${PROJECT_FORMAT}', ` +
        `got ${JSON.stringify(file.format ?? null)})`,
    };
  }
  if (typeof file.version !== 'number' || file.version > PROJECT_VERSION || file.version < 1) {
    return {
      ok: false,
      error:
        `unsupported project version (expected 1..${PROJECT_VERSION}, ` +
        `got ${JSON.stringify(file.version ?? null)})`,
    };
  }
  if (!Array.isArray(file.items)) return { ok: false, error: 'project file has no items list' };
  const out: Array<[string, unknown]> = [];
  const seen = new Set<string>();
  try {
    file.items.forEach((item: unknown, i: number) => {
      need(item !== null && typeof item === 'object', `items[${i}]`, 'not an object');
      const { key, value } = item as { key?: unknown; value?: unknown };
      need(typeof key === 'string' && key.length > 0, `items[${i}]`, 'key missing');
      need(!seen.has(key), `items[${i}]`, `duplicate key '${key}'`);
      need('value' in (item as object), `items[${i}] ('${key}')`, 'value missing');
      seen.add(key);
      out.push([key, decodeValue(value, key)]);
    });
  } catch (err) {
    if (err instanceof DecodeError) {
      return { ok: false, error: `project file is damaged: ${err.message}` };
    }
    throw err;
  }
  return { ok: true, value: out };
}
