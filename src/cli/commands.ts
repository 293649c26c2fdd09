import type { Command } from './command';
import { benchCommand } from './bench';
import { infoCommand } from './info';
import { melCommand } from './mel';

/** Every subcommand, in the order `semilab help` lists them. */
export const commands: Command[] = [infoCommand, benchCommand, melCommand];
