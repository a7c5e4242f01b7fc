/** The shape of a CLI command: its name, help and options, and what it runs. */
import type { ParseArgsConfig } from 'node:util';
import type { Io } from './output.js';

/** Parsed arguments: positionals after the command name, and option values by name. */
export interface CommandArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

export interface Command {
  name: string;
  usage: string;
  /** One line for the command list. */
  summary: string;
  /** The rest of `svcflow COMMAND --help`: what it does, then its options, one per line. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Resolves to the exit code. */
  run(args: CommandArgs, io: Io): Promise<number>;
}

/** The full help text of a command. */
export function commandHelp(command: Command): string {
  return `usage: ${command.usage}\n\n${command.summary}\n\n${command.help}\n  -h, --help           show this help\n`;
}
