import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../engine/cli/run.js';

const VALID = 'tests/cli/fixtures/valid-review.bpmn';

/** Runs the CLI in-process against a temp SQLite file, capturing what it writes. */
async function cli(env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    env,
  });
  return { code, stdout, stderr };
}

describe('cli/commands', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-cli-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'cli.db')}` };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys, starts, lists and completes through the database', async () => {
    expect(await cli(env, 'deploy', VALID)).toMatchObject({
      code: 0,
      stdout: `${VALID}: Process_review:1 version 1\n`,
    });
    expect((await cli(env, 'deploy', VALID)).stdout).toBe(`${VALID}: Process_review:1 version 1 (unchanged)\n`);
    const started = await cli(
      env,
      'start',
      'Process_review',
      '--var',
      'amount=120',
      '--var',
      'note=late',
      '--business-key',
      'B-1',
    );
    expect(started.stdout).toMatch(/^\S+ Process_review:1 active \[Task_review\]\n$/);
    const tasks = await cli(env, 'tasks', '--group', 'complaints');
    const [header, row] = tasks.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+ELEMENT\s+ASSIGNEE\s+GROUPS\s+PRIORITY\s+DUE\s+INSTANCE$/);
    const taskId = row.split(/\s+/)[0];
    expect((await cli(env, 'complete', taskId, '--var', 'approved=true')).stdout).toMatch(/is completed \[\]\n$/);
    expect(await cli(env, 'complete', taskId)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/\[TASK_NOT_OPEN\]\n$/),
    });
  });

  it('reports an unknown key with its code and exit 1', async () => {
    expect(await cli(env, 'start', 'Nope')).toMatchObject({
      code: 1,
      stderr: "svcflow start: no process definition 'Nope' is deployed [DEFINITION_NOT_FOUND]\n",
    });
  });

  it('answers a wrong command line with usage and exit 2', async () => {
    expect(await cli(env, 'start')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: svcflow start KEY'),
    });
    expect(await cli(env, 'start', 'K', '--var', 'novalue')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--var takes name=value, got 'novalue'"),
    });
    expect(await cli(env, 'frobnicate')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown command 'frobnicate'"),
    });
  });

  it('prints help for every command', async () => {
    for (const name of ['serve', 'migrate', 'deploy', 'start', 'tasks', 'complete', 'validate', 'compile']) {
      const help = await cli(env, name, '--help');
      expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^usage: svcflow ${name}`)) });
    }
  });

  it('prints the compiled machine config of a file', async () => {
    const result = await cli(env, 'compile', VALID);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ processId: 'Process_review', config: expect.any(Object) }),
    ]);
  });
});
