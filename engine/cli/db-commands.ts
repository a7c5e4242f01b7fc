/** CLI commands that work on the database at DATABASE_URL: serve, migrate, deploy, start, tasks, complete. */
import { startServer } from '../api/server.js';
import { ModelError } from '../bpmn/index.js';
import {
  CONFIG_ENV,
  DEFAULT_CONFIG_PATH,
  Engine,
  attachSla,
  isFormFile,
  loadEngineConfig,
  type DeploymentFile,
} from '../runtime/index.js';
import { backupSqlite, openStore, POSTGRES_BACKUP_ADVICE, type Store } from '../store/index.js';
import type { Command } from './command.js';
import { readSource } from './model-commands.js';
import { parseVars, problemLine, taskTable, UsageError, type Io } from './output.js';
import { migrationSource } from '../../migrations/index.js';

const DATABASE = '\nThe database is DATABASE_URL (default sqlite:./data/svcflow.db); it is migrated first.\n\noptions:';
const VAR_OPTION = '  --var name=value     a variable (repeatable); the value is JSON when it parses, else a string';

/** `svcflow serve`: the HTTP server with the scheduler. */
export const serveCommand: Command = {
  name: 'serve',
  usage: 'svcflow serve [--port N] [--host H] [--processes DIR] [--config FILE]',
  summary: 'run the engine: HTTP API, Camunda 7 subset, scheduler',
  help:
    `Deploys every *.dmn and *.bpmn in the processes directory, then listens until SIGINT/SIGTERM.\n${DATABASE}\n` +
    '  --port N             port (default PORT or 3000)\n  --host H             host (default HOST, else 127.0.0.1 while demo users exist, else 0.0.0.0)\n  --processes DIR      BPMN files to deploy at start (default ./processes)\n' +
    "  --config FILE        the installation's configuration (default SVCFLOW_CONFIG, else ./processes/svcflow.config.json)",
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    processes: { type: 'string' },
    config: { type: 'string' },
  },
  async run({ values }) {
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !Number.isInteger(port))
      throw new UsageError(`--port must be a number, got '${values.port}'`);
    await startServer({
      port,
      host: values.host as string | undefined,
      processesDir: values.processes as string | undefined,
      configPath: values.config as string | undefined,
    });
    return 0;
  },
};

/** `svcflow migrate`: applies pending schema migrations. */
export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'svcflow migrate',
  summary: 'apply pending database migrations',
  help: 'Creates or upgrades the schema of DATABASE_URL (default sqlite:./data/svcflow.db).\n\noptions:',
  options: {},
  run: (_args, io) =>
    withEngine(io, async () => {
      io.out('database is up to date\n');
      return 0;
    }),
};

/** `svcflow backup FILE`: a consistent copy of the SQLite database, taken while the server runs. */
export const backupCommand: Command = {
  name: 'backup',
  usage: 'svcflow backup FILE',
  summary: 'copy the SQLite database consistently, while the server runs',
  help:
    'Writes a consistent copy of DATABASE_URL (default sqlite:./data/svcflow.db) to FILE with VACUUM INTO: safe while the\n' +
    'server runs and loses nothing acknowledged. Never copy the .db file of a running server (the WAL holds recent commits).\n' +
    'Restore: stop the server, move FILE to the database path (remove any -wal and -shm files beside it), start again.\n' +
    'PostgreSQL: use pg_dump (see docs/SECURITY.md).\n\noptions:',
  options: {},
  async run({ positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('name the one file to write the backup to');
    const url = io.env.DATABASE_URL || 'sqlite:./data/svcflow.db';
    if (!url.startsWith('sqlite:')) {
      io.err(`${POSTGRES_BACKUP_ADVICE}\n`);
      return 1;
    }
    const { source, target } = backupSqlite(url, positionals[0]);
    io.out(`backed up ${source} to ${target}\n`);
    return 0;
  },
};

/** `svcflow deploy FILE...`: deploys BPMN and DMN files straight into the database. */
export const deployCommand: Command = {
  name: 'deploy',
  usage: 'svcflow deploy FILE...',
  summary: 'deploy BPMN, DMN and form files into the database',
  help: `Prints the id and version of each process, decision and form; unchanged ones keep their version. Deploy DMN files before the BPMN that uses them.\nThe .form files are deployed with each BPMN file (alone when there is none), so its version shows them.\nInvalid files print their problems (exit 1); the others are still deployed.\n${DATABASE}`,
  options: {},
  async run({ positionals }, io) {
    if (positionals.length === 0) throw new UsageError('name at least one BPMN file');
    const sources = await Promise.all(positionals.map(async (file) => ({ file, xml: await readSource(file) })));
    return withEngine(io, async (engine) => {
      const forms = sources.filter((s) => isFormFile({ name: s.file })).map(asFile);
      const models = sources.filter((s) => !isFormFile({ name: s.file }));
      let failed = false;
      if (models.length === 0) failed = !(await deployOne(engine, 'forms', forms, io));
      for (const source of models)
        failed = !(await deployOne(engine, source.file, [asFile(source), ...forms], io)) || failed;
      return failed ? 1 : 0;
    });
  },
};

/** `svcflow start KEY`: starts an instance of the latest version. */
export const startCommand: Command = {
  name: 'start',
  usage: 'svcflow start KEY [--var name=value ...] [--business-key K]',
  summary: 'start a process instance',
  help: `Starts the latest version of the process KEY and prints the instance id, status and active elements.\n${DATABASE}\n${VAR_OPTION}\n  --business-key K     the instance's business key`,
  options: { var: { type: 'string', multiple: true }, 'business-key': { type: 'string' } },
  async run({ positionals, values }, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one process key');
    const variables = parseVars(values.var as string[] | undefined);
    return withEngine(io, async (engine) => {
      const instance = await engine.startInstance({
        definitionKey: positionals[0],
        variables,
        businessKey: (values['business-key'] as string | undefined) ?? null,
      });
      io.out(`${instance.id} ${instance.definitionId} ${instance.status} [${instance.activeElements.join(', ')}]\n`);
      return 0;
    });
  },
};

/** `svcflow tasks`: open tasks as a table. */
export const tasksCommand: Command = {
  name: 'tasks',
  usage: 'svcflow tasks [--assignee U] [--group G]',
  summary: 'list open tasks',
  help: `Lists open tasks, by due date then priority.\n${DATABASE}\n  --assignee U         only tasks assigned to U\n  --group G            only tasks for candidate group G (repeatable)`,
  options: { assignee: { type: 'string' }, group: { type: 'string', multiple: true } },
  run: ({ values }, io) =>
    withEngine(io, async (engine) => {
      const groups = values.group as string[] | undefined;
      const page = await engine.listTasks({
        assignee: values.assignee as string | undefined,
        candidateGroups: groups,
        status: 'open',
        limit: 500,
        withTotal: false,
      });
      io.out(taskTable(page.items));
      return 0;
    }),
};

/** `svcflow complete TASK_ID`: completes a task with variables. */
export const completeCommand: Command = {
  name: 'complete',
  usage: 'svcflow complete TASK_ID [--var name=value ...]',
  summary: 'complete a user task',
  help: `Completes the open task and prints the instance's new status and active elements.\n${DATABASE}\n${VAR_OPTION}`,
  options: { var: { type: 'string', multiple: true } },
  async run({ positionals, values }, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one task id');
    const variables = parseVars(values.var as string[] | undefined);
    return withEngine(io, async (engine) => {
      const instance = await engine.completeTask(positionals[0], variables);
      io.out(
        `completed ${positionals[0]}; instance ${instance.id} is ${instance.status} [${instance.activeElements.join(', ')}]\n`,
      );
      return 0;
    });
  },
};

// helpers

async function withEngine(io: Io, fn: (engine: Engine, store: Store) => Promise<number>): Promise<number> {
  const store = await openStore({ migrations: migrationSource, url: io.env.DATABASE_URL || undefined });
  try {
    await store.migrate();
    // the installation's configuration, as `svcflow serve` reads it: the zone, and the variables a case is
    // indexed and measured by (an engine without it would index the cases it steps under no field)
    const config = await loadEngineConfig(io.env[CONFIG_ENV] ?? DEFAULT_CONFIG_PATH);
    const engine = new Engine({ store, config });
    await attachSla(engine);
    return await fn(engine, store);
  } finally {
    await store.close();
  }
}

function asFile(source: { file: string; xml: string }): DeploymentFile {
  return { name: source.file.replace(/^.*[\\/]/, ''), xml: source.xml };
}

async function deployOne(engine: Engine, file: string, files: DeploymentFile[], io: Io): Promise<boolean> {
  try {
    const { processes, decisions, forms } = await engine.deployResources(files);
    for (const d of [...decisions, ...processes, ...forms])
      io.out(`${file}: ${d.id} version ${d.version}${d.created ? '' : ' (unchanged)'}\n`);
    return true;
  } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    for (const problem of err.problems) io.err(`${problemLine(file, problem)}\n`);
    return false;
  }
}
