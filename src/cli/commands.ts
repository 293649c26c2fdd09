import type { Command } from './command';
import { benchCommand } from './bench';
import { infoCommand } from './info';

/** Every subcommand, in the order `semilab help` lists them. */
export const commands: Command[] = [infoCommand, benchCommand];
