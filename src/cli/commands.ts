import type { Command } from './command';
import { benchCommand } from './bench';
import { infoCommand } from './info';
import { likelihoodCommand } from './likelihood';
import { melCommand } from './mel';
import { sentimentCommand } from './sentiment';
import { vocodeCommand } from './vocode';

/** Every subcommand, in the order `semilab help` lists them. */
export const commands: Command[] = [
  infoCommand,
  benchCommand,
  melCommand,
  vocodeCommand,
  likelihoodCommand,
  sentimentCommand,
];
