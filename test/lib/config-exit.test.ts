import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../../lambdas/config/load.js';
import { orExitOnConfigError, type ConfigExit } from '../../lib/config-exit.js';
import { GatewayStack } from '../../lib/gateway-stack.js';
import { tempDir } from '../helpers/tmp.js';

// `cdk synth` (bin/app.ts) with a configuration the stack refuses (deadlines that cannot fit the chat function,
// lib/deadline-fit.ts) ends like a bad configuration file: the problem on one line per field, exit code 1, no stack
// trace. Before, only the file's own errors were caught; the stack's ConfigError escaped as an uncaught exception.
const tooLong = JSON.stringify({
  providers: { p: { type: 'echo' } },
  models: { long: { targets: [{ provider: 'p', model: 'm' }], timeouts: { requestMs: 600_000 } } },
});

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function recorder(): ConfigExit & { messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    error: (message) => messages.push(message),
    exit: (code) => {
      throw new Exited(code);
    },
  };
}

describe('a configuration the stack refuses at synth', () => {
  const afterCleanup: (() => void)[] = [];
  afterAll(() => afterCleanup.forEach((remove) => remove()));

  it('building the stack: the ConfigError message and exit code 1, nothing thrown past it', () => {
    const out = recorder();
    const build = () =>
      orExitOnConfigError(
        () =>
          new GatewayStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'ExitGateway', {
            config: parseConfig(tooLong, 'gw.json'),
            configFile: 'gw.json',
          }),
        out,
      );
    expect(build).toThrow(new Exited(1));
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]).toMatch(
      /^Invalid gateway configuration in gw\.json:\n {2}- models\.long\.timeouts\.requestMs: 600000 ms/,
    );
    expect(out.messages[0]).not.toMatch(/\n\s+at /);
  });

  it('other errors are bugs and propagate unchanged; a success passes its value through', () => {
    const out = recorder();
    const bug = new TypeError('bug');
    expect(() =>
      orExitOnConfigError(() => {
        throw bug;
      }, out),
    ).toThrow(bug);
    expect(orExitOnConfigError(() => 42, out)).toBe(42);
    expect(out.messages).toEqual([]);
  });

  it('bin/app.ts exits 1 with the message and no stack trace', async () => {
    const { path: dir, remove } = tempDir('config-exit');
    afterCleanup.push(remove);
    const file = join(dir, 'gateway.config.json');
    writeFileSync(file, tooLong);
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      env: { ...process.env, GATEWAY_CONFIG: file, CDK_OUTDIR: join(dir, 'out') },
    });
    const failure = (await run.then(
      () => undefined,
      (err: unknown) => err,
    )) as { code?: number; stderr?: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`Invalid gateway configuration in ${file}:`);
    expect(failure?.stderr).toContain('models.long.timeouts.requestMs: 600000 ms');
    expect(failure?.stderr).not.toMatch(/\n\s+at |ConfigError|Uncaught/);
  }, 60_000);
});
