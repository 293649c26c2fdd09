// One small logging module: levels, lazy messages, an [area] tag.
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
let threshold: LogLevel = 'warn';
const warned = new Set<string>();

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function log(level: LogLevel, area: string, message: string | (() => string)): void {
  if (rank[level] > rank[threshold]) return;
  const text = `[${area}] ${typeof message === 'function' ? message() : message}`;
  // eslint-disable-next-line no-console
  (level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(text);
}

/** Warns once per key for the life of the process (fallbacks, deprecations). */
export function warnOnce(area: string, key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  log('warn', area, message);
}
