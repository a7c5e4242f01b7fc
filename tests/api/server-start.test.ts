/** Issue 14, "Operations": the first start says in plain lines where to go and the admin's password; demo users stay on this machine. */
import { describe, expect, it } from 'vitest';
import { firstStartLines, listenHost, startServer } from '../../engine/api/server.js';

describe('api/server start', () => {
  it('listens on 127.0.0.1 by default while demo users exist, else on every interface', () => {
    expect(listenHost(undefined, true, false)).toBe('127.0.0.1');
    expect(listenHost(undefined, false, false)).toBe('0.0.0.0');
    expect(listenHost('0.0.0.0', false, false)).toBe('0.0.0.0');
    expect(listenHost('0.0.0.0', true, true)).toBe('0.0.0.0');
  });

  it('refuses to serve demo users on every interface without SVCFLOW_DEMO_PUBLIC=1, and says why', () => {
    expect(() => listenHost('0.0.0.0', true, false)).toThrow(/demo users .* SVCFLOW_DEMO_PUBLIC=1/);
  });

  it('prints the URL and the generated admin password as plain lines on the first start only', async () => {
    const printed: string[] = [];
    const previous = {
      demo: process.env.SVCFLOW_DEMO,
      password: process.env.SVCFLOW_ADMIN_PASSWORD,
      host: process.env.HOST,
    };
    delete process.env.SVCFLOW_ADMIN_PASSWORD;
    delete process.env.HOST;
    process.env.SVCFLOW_DEMO = '1';
    const server = await startServer({
      databaseUrl: 'sqlite::memory:',
      port: 0,
      processesDir: '/nonexistent',
      logger: false,
      handleSignals: false,
      print: (text) => printed.push(text),
    });
    try {
      expect(server.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const [url, password, local] = printed.join('').trimEnd().split('\n');
      expect(url).toBe(`svcflow is running: open ${server.address}/tasks (designer: ${server.address}/designer)`);
      expect(password).toMatch(
        /^Sign in as admin with the password \S{16} \(shown only this once; change it after signing in\)$/,
      );
      expect(local).toMatch(/^Listening on this machine only/);
    } finally {
      await server.close();
      Object.assign(process.env, Object.fromEntries(Object.entries(previous).filter(([, v]) => v !== undefined)));
    }
    expect(firstStartLines('http://x:1', undefined, '0.0.0.0')).toBe(
      'svcflow is running: open http://x:1/tasks (designer: http://x:1/designer)\n',
    );
  });
});
