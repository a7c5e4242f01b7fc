/** The `svcflow` command line: picks the command, parses its options, prints help, maps errors to exit codes. */
import { parseArgs } from 'node:util';
import { commandHelp, type Command } from './command.js';
import {
  backupCommand,
  completeCommand,
  deployCommand,
  migrateCommand,
  serveCommand,
  startCommand,
  tasksCommand,
} from './db-commands.js';
import { compileCommand, validateCommand } from './model-commands.js';
import { UsageError, type Io } from './output.js';

const COMMANDS: Command[] = [
  serveCommand,
  migrateCommand,
  backupCommand,
  deployCommand,
  startCommand,
  tasksCommand,
  completeCommand,
  validateCommand,
  compileCommand,
];

/** Exit codes: 0 success, 1 the work failed (problems, engine errors), 2 the command line was wrong. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(overview());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`svcflow: unknown command '${name}'\n\n${overview()}`);
    return 2;
  }
  try {
    const args = parse(command, rest);
    if (args.values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run(args, io);
  } catch (err) {
    return report(err, command, io);
  }
}

// helpers

function parse(command: Command, argv: string[]) {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values: { ...values } };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function report(err: unknown, command: Command, io: Io): number {
  if (err instanceof UsageError) {
    io.err(`svcflow ${command.name}: ${err.message}\nusage: ${command.usage}\n`);
    return 2;
  }
  const code = (err as { code?: unknown }).code;
  io.err(
    `svcflow ${command.name}: ${(err as Error).message ?? String(err)}${typeof code === 'string' ? ` [${code}]` : ''}\n`,
  );
  return 1;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: svcflow COMMAND [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'svcflow COMMAND --help' for a command's options. DATABASE_URL selects the database.\n`;
}
