import type { Command } from './command';
import { wantsHelp } from './command';
import { commands } from './commands';
import { UsageError } from './cliInput';

function help(): string {
  const lines = commands.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`);
  return [
    'usage: semilab <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    "'semilab <command> --help' (or 'semilab help <command>') prints a command's usage",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const about = topic ? commands.find((c) => c.name === topic) : undefined;
    if (topic && !about) {
      console.error(`semilab: unknown command '${topic}'\n\n${help()}`);
      return 2;
    }
    console.log(about ? `usage: ${about.usage}` : help());
    return name ? 0 : 1;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`semilab: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  // every command answers --help the same way, before it reads anything else
  if (wantsHelp(rest)) {
    console.log(`usage: ${command.usageFor?.(rest) ?? command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    console.error(`semilab ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof UsageError ? 2 : 1;
  }
}
