/** CLI commands that work on BPMN files alone, without a database: validate and compile. */
import { readFile } from 'node:fs/promises';
import { compileBpmn } from '../compile/index.js';
import type { Command } from './command.js';
import { problemLine, UsageError } from './output.js';

/** `svcflow validate FILE...`: one line per problem, exit 1 when any file has one. */
export const validateCommand: Command = {
  name: 'validate',
  usage: 'svcflow validate FILE...',
  summary: 'check BPMN files and print every problem',
  help:
    'Reads, validates and compiles each file as a deployment would, and prints one line per problem:\n' +
    '  FILE: elementId (type): message [CODE]\n' +
    'Exits 0 when every file is valid, 1 when any has a problem.\n\noptions:',
  options: {},
  async run({ positionals }, io) {
    if (positionals.length === 0) throw new UsageError('name at least one BPMN file');
    let failed = false;
    for (const file of positionals) {
      const { processes, problems } = await compileBpmn(await readSource(file));
      for (const problem of problems) io.out(`${problemLine(file, problem)}\n`);
      if (problems.length === 0) io.out(`${file}: valid (${processes.map((p) => p.processId).join(', ')})\n`);
      failed ||= problems.length > 0;
    }
    return failed ? 1 : 0;
  },
};

/** `svcflow compile FILE`: the machine config JSON of each process in the file. */
export const compileCommand: Command = {
  name: 'compile',
  usage: 'svcflow compile FILE',
  summary: 'print the compiled state machine config of each process as JSON',
  help:
    'Compiles the file and prints a JSON array with, per process: processId, name, the xstate machine config,\n' +
    'activeStates and elementTypes. Problems are printed as by validate, with exit code 1.\n\noptions:',
  options: {},
  async run({ positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one BPMN file');
    const [file] = positionals;
    const { processes, problems } = await compileBpmn(await readSource(file));
    if (problems.length > 0) {
      for (const problem of problems) io.err(`${problemLine(file, problem)}\n`);
      return 1;
    }
    io.out(`${JSON.stringify(processes, null, 2)}\n`);
    return 0;
  },
};

/** Reads a file for a command, turning a missing file into a usage error. */
export async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
