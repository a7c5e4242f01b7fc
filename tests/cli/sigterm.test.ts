/**
 * `npm start` then `kill -TERM <npm pid>` (what `docker stop` does to the container's first process):
 * the server must stop listening and exit cleanly, not be orphaned and keep serving.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'svcflow-sigterm-'));
const started: ChildProcess[] = [];
const serverPids: number[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // a server orphaned by a failing run is not left serving
  for (const pid of serverPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('cli/npm start', () => {
  it('stops the server cleanly on a SIGTERM sent to the npm process alone', async () => {
    // given a server started the README's way, listening on a random port
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dir, 'svcflow.db')}`,
        SVCFLOW_DEMO: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(npm);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      npm.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const server = await listeningServer(npm);
    serverPids.push(server.pid);
    expect(await isListening(server.port)).toBe(true);

    // when only npm receives SIGTERM
    npm.kill('SIGTERM');

    // then npm exits 0, the server process has ended, and nothing listens on its port
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(isAlive(server.pid)).toBe(false);
    expect(await isListening(server.port)).toBe(false);
  }, 180_000);
});

// helpers

/** Reads the server's pino lines until fastify reports where it listens; the line also names the server's pid. */
function listeningServer(child: ChildProcess): Promise<{ port: number; pid: number }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((text) => text.includes('Server listening at http://127.0.0.1:'));
      if (!line) return;
      const entry = JSON.parse(line) as { pid: number; msg: string };
      child.stdout?.off('data', onData);
      resolve({ pid: entry.pid, port: Number(/:(\d+)$/.exec(entry.msg)?.[1]) });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before listening:\n${output}`)));
  });
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
