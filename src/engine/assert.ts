/** Throws `Error(message)` when `condition` is false. Messages read `Component: what (expected X, got Y)`. */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(typeof message === 'function' ? message() : message);
}

export function assertExists<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) throw new Error(message);
  return value;
}

export function exhaustiveSwitchError(value: never): never {
  throw new Error(`unhandled case: ${String(value)}`);
}

/** Expected failures (bad files, missing WebGPU) come back as values, not exceptions. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
