/** `llm-gateway` (see bin/llm-gateway.js): manage the keys and read the usage of a local or deployed gateway. */
import { runCli } from '../cli/run.js';

// `llm-gateway keys list | head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
