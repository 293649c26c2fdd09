// Saved work in IndexedDB (via idb-keyval), and the project file that holds
// all of it. Panels call saveWork on every edit (debounced here), loadWork on
// start, and reload when an import replaces the project (subscribeWork).
// Values are structured-clone data: typed arrays and ArrayBuffers are stored
// as they are, not copied into JSON.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { decodeProject, encodeProject } from './projectCodec';

export type WorkEvent =
  | { type: 'saved'; key: string }
  | { type: 'deleted'; key: string }
  | { type: 'imported'; keys: string[] }
  | { type: 'error'; message: string };

export type ImportResult =
  { ok: true; value: { count: number; unknown: string[] } } | { ok: false; error: string };

/** ms an edit waits before it is written; later edits of the same key restart the wait */
export const SAVE_DEBOUNCE_MS = 300;

interface Pending {
  value: unknown;
  timer: ReturnType<typeof setTimeout>;
  waiters: Array<{ resolve(): void; reject(err: unknown): void }>;
}

let store: UseStore | null = null;
const pending = new Map<string, Pending>();
const listeners = new Set<(event: WorkEvent) => void>();

function db(): UseStore {
  store ??= createStore('semilab', 'work');
  return store;
}

function emit(event: WorkEvent): void {
  for (const listener of listeners) listener(event);
}

/** What is wrong with a saved value of one key, or null when it is usable. */
export type WorkCheck = (value: unknown) => string | null;
const checks = new Map<string, WorkCheck>();

/**
 * Stores register how they judge their saved values, so an imported project with an unusable
 * item (a damaged labelled set, say) is refused whole instead of the store dropping it.
 */
export function registerWorkCheck(key: string, check: WorkCheck): void {
  checks.set(key, check);
}

/** Calls `listener` on saves, deletes, imports and write errors; returns the unsubscribe. */
export function subscribeWork(listener: (event: WorkEvent) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

async function write(key: string): Promise<void> {
  const entry = pending.get(key);
  if (!entry) return;
  pending.delete(key);
  clearTimeout(entry.timer);
  try {
    await db()('readwrite', (s) => promisifyRequest(s.put(entry.value, key)));
    for (const waiter of entry.waiters) waiter.resolve();
    emit({ type: 'saved', key });
  } catch (err) {
    const message = `Saving '${key}' failed: ${err instanceof Error ? err.message : String(err)}`;
    for (const waiter of entry.waiters) waiter.reject(new Error(message));
    emit({ type: 'error', message });
  }
}

/**
 * Saves `value` under `key` after SAVE_DEBOUNCE_MS without a newer save of
 * the same key. Resolves once this value (or a newer one) is written; the
 * failure is also sent to subscribers as an 'error' event, so callers may
 * ignore the promise. NOTE: the value is held by reference until written;
 * do not mutate it afterwards.
 */
export function saveWork(key: string, value: unknown): Promise<void> {
  const previous = pending.get(key);
  if (previous) clearTimeout(previous.timer);
  const done = new Promise<void>((resolve, reject) => {
    const waiters = previous?.waiters ?? [];
    waiters.push({ resolve, reject });
    const timer = setTimeout(() => void write(key), SAVE_DEBOUNCE_MS);
    pending.set(key, { value, waiters, timer });
  });
  // callers that ignore the promise must not raise an unhandled rejection
  done.catch(() => undefined);
  return done;
}

/** Writes every pending save now (before export, on page hide, in tests). */
export async function flushWork(): Promise<void> {
  await Promise.all([...pending.keys()].map((key) => write(key)));
}

/** The saved (or pending) value of `key`, or undefined. */
export async function loadWork<T = unknown>(key: string): Promise<T | undefined> {
  const entry = pending.get(key);
  if (entry) return entry.value as T;
  return db()('readonly', (s) => promisifyRequest(s.get(key) as IDBRequest<T | undefined>));
}

export async function deleteWork(key: string): Promise<void> {
  const entry = pending.get(key);
  if (entry) {
    clearTimeout(entry.timer);
    pending.delete(key);
    for (const waiter of entry.waiters) waiter.resolve();
  }
  await db()('readwrite', (s) => promisifyRequest(s.delete(key)));
  emit({ type: 'deleted', key });
}

/** Keys of all saved work, sorted, including saves still pending. */
export async function listWork(): Promise<string[]> {
  const stored = await db()('readonly', (s) => promisifyRequest(s.getAllKeys()));
  const keys = new Set<string>(stored.map(String));
  for (const key of pending.keys()) keys.add(key);
  return [...keys].sort();
}

async function allEntries(): Promise<Array<[string, unknown]>> {
  return db()('readonly', (s) =>
    Promise.all([promisifyRequest(s.getAllKeys()), promisifyRequest(s.getAll())]).then(
      ([keys, values]) => keys.map((key, i): [string, unknown] => [String(key), values[i]]),
    ),
  );
}

/** One JSON file holding every saved item (pending saves are written first). */
export async function exportProject(): Promise<Blob> {
  await flushWork();
  const file = await encodeProject(await allEntries());
  return new Blob([JSON.stringify(file)], { type: 'application/json' });
}

/**
 * Replaces all saved work with the contents of a project file, in one
 * transaction. A file that does not parse or validate changes nothing and
 * comes back as an error message. Pending (unwritten) saves are dropped:
 * they belong to the project being replaced.
 */
export async function importProject(file: Blob): Promise<ImportResult> {
  let text: string;
  try {
    text = await file.text();
  } catch (err) {
    return { ok: false, error: `Import failed: the file could not be read (${String(err)})` };
  }
  const decoded = decodeProject(text);
  if (!decoded.ok) {
    return { ok: false, error: `Import failed: ${decoded.error}. Nothing was changed.` };
  }
  for (const [key, value] of decoded.value) {
    const problem = checks.get(key)?.(value);
    if (problem) {
      return { ok: false, error: `Import failed: '${key}' ${problem}. Nothing was changed.` };
    }
  }
  for (const [key, entry] of pending) {
    clearTimeout(entry.timer);
    for (const waiter of entry.waiters) waiter.resolve();
    pending.delete(key);
  }
  try {
    await db()('readwrite', (s) => {
      try {
        s.clear();
        for (const [key, value] of decoded.value) s.put(value, key);
      } catch (err) {
        s.transaction.abort();
        throw err;
      }
      return promisifyRequest(s.transaction);
    });
  } catch (err) {
    const error = `Import failed while writing; nothing was changed (${String(err)})`;
    return { ok: false, error };
  }
  const keys = decoded.value.map(([key]) => key);
  emit({ type: 'imported', keys });
  // kept, but no store of this version reads them (a newer studio's items, or a typo)
  const unknown = keys.filter((key) => !checks.has(key));
  return { ok: true, value: { count: keys.length, unknown } };
}

/** Writes pending saves when the page is hidden (tab switch, reload, close). */
export function flushWorkOnHide(): () => void {
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') void flushWork();
  };
  const onPageHide = (): void => void flushWork();
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', onPageHide);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pagehide', onPageHide);
  };
}
