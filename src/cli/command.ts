import { UsageError } from './cliInput';

/** One `semilab` subcommand. `run` returns the process exit code. */
export interface Command {
  name: string;
  /** one line for `semilab help` */
  summary: string;
  /** printed on `--help` (stdout, exit 0) and after a usage error (stderr, exit 2) */
  usage: string;
  /** the usage `--help` prints for these arguments (a subcommand's own), when not `usage` */
  usageFor?(args: string[]): string;
  run(args: string[]): Promise<number>;
}

/**
 * Parses `--key value` and `--flag` pairs; the rest are positional. With
 * `known`, any other option throws a UsageError `unknown option --x (expected ...)`.
 */
export function parseArgs(
  args: string[],
  known?: readonly string[],
): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2);
      if (known && !known.includes(key)) {
        const list = known.length
          ? `expected one of: ${known.map((k) => `--${k}`).join(', ')}`
          : 'this command takes no options';
        throw new UsageError(`unknown option --${key} (${list})`);
      }
      if (inline !== undefined) options.set(key, inline);
      else if (i + 1 < args.length && !args[i + 1].startsWith('--')) options.set(key, args[++i]);
      else options.set(key, 'true');
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

/** A positive integer option, or `fallback` when absent; throws a UsageError otherwise. */
export function positiveInt(options: Map<string, string>, key: string, fallback: number): number {
  const raw = options.get(key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--${key} must be a positive integer (got ${raw})`);
  }
  return value;
}

/** True when the user asked for a command's usage: `--help` or `-h` anywhere in its arguments. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
