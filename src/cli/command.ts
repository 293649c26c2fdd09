/** One `semilab` subcommand. `run` returns the process exit code. */
export interface Command {
  name: string;
  /** one line for `semilab help` */
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** Parses `--key value` and `--flag` pairs; the rest are positional. */
export function parseArgs(args: string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2);
      if (inline !== undefined) options.set(key, inline);
      else if (i + 1 < args.length && !args[i + 1].startsWith('--')) options.set(key, args[++i]);
      else options.set(key, 'true');
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}
