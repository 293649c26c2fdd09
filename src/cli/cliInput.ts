// What every `semilab` subcommand does with its input: option values, files it
// must read, and the errors that are printed as they are (exit code 1, or 2
// for a usage error) instead of a stack trace.
import { readFileSync } from 'node:fs';

/** A user-facing failure: printed as it is, exit code 1. */
export class CliError extends Error {}

/** A command line the command cannot read (unknown option, missing argument): exit code 2. */
export class UsageError extends CliError {}

/** The value of `--key`, or undefined when absent; a bare `--key` is refused. */
export function optionValue(options: Map<string, string>, key: string): string | undefined {
  const v = options.get(key);
  if (v === 'true') throw new CliError(`--${key} needs a value`);
  return v;
}

/** The bytes of a file the user named; a missing file or a folder is a CliError. */
export function readInputFile(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder' : code;
    throw new CliError(`cannot read ${what} ${path} (${why ?? String(err)})`);
  }
}
