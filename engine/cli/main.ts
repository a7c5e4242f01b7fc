/** Entry point of the `svcflow` command (bin/svcflow.mjs, `npm start`): runs the CLI on process.argv. */
import { runCli } from './run.js';

const io = {
  out: (text: string) => {
    process.stdout.write(text);
  },
  err: (text: string) => {
    process.stderr.write(text);
  },
  env: process.env,
};

// exitCode rather than exit(): piped output is flushed before the process ends.
process.exitCode = await runCli(process.argv.slice(2), io);
