// For CLI command tests: what a command prints, captured per test.
import { afterEach, beforeEach, vi } from 'vitest';

export interface CapturedConsole {
  /** console.log lines of the current test */
  lines: string[];
  /** console.error lines of the current test */
  errors: string[];
}

/**
 * Call inside a describe: before each test the two lists are emptied and console.log and
 * console.error fill them; progress written straight to stderr is silenced.
 */
export function captureConsole(): CapturedConsole {
  const captured: CapturedConsole = { lines: [], errors: [] };
  beforeEach(() => {
    captured.lines.length = 0;
    captured.errors.length = 0;
    vi.spyOn(console, 'log').mockImplementation((m: string) => void captured.lines.push(m));
    vi.spyOn(console, 'error').mockImplementation((m: string) => void captured.errors.push(m));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
