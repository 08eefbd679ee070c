import { spawn, type ChildProcess } from 'node:child_process';

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly storeEndpoint: string;
  /** Everything the process wrote to stdout so far. */
  output(): string;
  /** Everything it wrote to stderr so far. */
  errors(): string;
  /** Resolves once stdout satisfies `done` (logs reach the pipe a moment after the response). */
  waitForOutput(done: (stdout: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | NodeJS.Signals>;
}

/** The dev key a gateway process printed at start, and whether it created it then. */
export const devKeyOf = (output: string): { key: string | undefined; created: boolean } => {
  const line = /dev key \(tenant "dev"(, created now)?\): (lgw_\w+)/.exec(output);
  return { key: line?.[2], created: line?.[1] !== undefined };
};

/** `npm start`'s entry point as a child process on port 0, resolved once it prints where it listens. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['bin/start.mjs'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', POWERTOOLS_LOG_LEVEL: 'INFO', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const started = await new Promise<{ url: string; store: string }>((resolve, reject) => {
    const check = (): void => {
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      const store = /store: {2}(?:embedded at )?(http:\/\/[^\s,]+)/.exec(stdout)?.[1];
      if (url !== undefined && store !== undefined) resolve({ url, store });
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`gateway exited (${code}) before listening: ${stderr}`)));
  });
  const waitForOutput = async (done: (text: string) => boolean, timeoutMs = 15_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (!done(stdout)) {
      if (Date.now() > deadline) throw new Error(`output never satisfied the condition:\n${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return stdout;
  };
  return {
    child,
    url: started.url,
    storeEndpoint: started.store,
    output: () => stdout,
    errors: () => stderr,
    waitForOutput,
    exited,
  };
}
