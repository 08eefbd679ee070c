import { adminApi } from './admin-api.js';
import { parseCommandLine, type Invocation } from './args.js';
import { authenticatorFor } from './auth.js';
import { resolveEndpoint } from './endpoint.js';
import { CliError, UsageError } from './errors.js';
import { discoverLocalUrl } from './local-discovery.js';
import { transport } from './http.js';
import { Redactor } from './redact.js';
import type { CredentialsProvider } from './sigv4.js';
import { runCommand } from './commands.js';
import { USAGE, USAGE_HINT } from './usage.js';
import { isStackCommand, runStackCommand } from './stack-cli.js';

export interface Output {
  write(text: string): unknown;
}

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Where a relative GATEWAY_DATA_DIR is resolved; defaults to process.cwd(). */
  readonly cwd?: string;
  /** The clock `--expires 30d` counts from. */
  readonly now?: () => Date;
  /** Replaces the AWS credential provider chain. */
  readonly credentials?: CredentialsProvider;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

async function execute(invocation: Invocation, io: CliIo, redactor: Redactor): Promise<string> {
  if (invocation.command.kind === 'help') return USAGE;
  const cwd = io.cwd ?? process.cwd();
  const endpoint = resolveEndpoint(invocation, io.env, () => discoverLocalUrl(io.env, cwd));
  const authenticate = await authenticatorFor(endpoint, {
    env: io.env,
    cwd,
    redactor,
    ...(io.credentials === undefined ? {} : { credentials: io.credentials }),
  });
  const api = adminApi(transport(endpoint, authenticate, io.fetch ?? fetch));
  const output = await runCommand(invocation.command, api);
  return invocation.json ? `${JSON.stringify(output.json, null, 2)}\n` : output.text;
}

/** `llm-gateway` with `argv` (the arguments after the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const redactor = new Redactor();
  const fail = (message: string, code: number): number => {
    io.stderr.write(redactor.apply(message));
    return code;
  };
  if (argv.length === 0) return fail(USAGE, EXIT_USAGE);
  try {
    if (isStackCommand(argv[0])) {
      const stackIo = { env: io.env, cwd: io.cwd ?? process.cwd(), redactor, fetch: io.fetch ?? fetch };
      const credentials = io.credentials === undefined ? {} : { credentials: io.credentials };
      io.stdout.write(redactor.apply(await runStackCommand(argv, { ...stackIo, ...credentials })));
      return EXIT_OK;
    }
    const invocation = parseCommandLine(argv, (io.now ?? (() => new Date()))());
    io.stdout.write(redactor.apply(await execute(invocation, io, redactor)));
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) return fail(`error: ${err.message}\n${USAGE_HINT}\n`, EXIT_USAGE);
    if (err instanceof CliError) return fail(`error: ${err.message}\n`, EXIT_FAILED);
    return fail(`error: ${err instanceof Error ? err.message : String(err)}\n`, EXIT_FAILED);
  }
}
