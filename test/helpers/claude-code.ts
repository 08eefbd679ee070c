import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Claude Code's native binary (the platform package of the @anthropic-ai/claude-code devDependency). */
export const CLAUDE_BINARY = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);

export interface ClaudeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How Claude Code is given the gateway key: ANTHROPIC_API_KEY (sent as x-api-key) or ANTHROPIC_AUTH_TOKEN (Bearer). */
export type KeyVariable = 'ANTHROPIC_API_KEY' | 'ANTHROPIC_AUTH_TOKEN';

const running = new Set<ChildProcess>();

/**
 * Runs `claude -p <prompt> --model <model> [...args]` as a new user would point it at the gateway: a throwaway
 * HOME (`dir`/home) and working directory (`dir`/cwd), offline (no telemetry, error reporting or auto-update), only
 * ANTHROPIC_BASE_URL and one key variable set — nothing inherited but PATH. Killed after `killAfterMs` (a hung run
 * fails its test instead of hanging it); `killAll` ends whatever is still running (call it in teardown).
 */
export function runClaude(options: {
  readonly dir: string;
  readonly baseURL: string;
  readonly key: { readonly variable: KeyVariable; readonly value: string };
  readonly prompt: string;
  readonly model: string;
  readonly args?: readonly string[];
  readonly killAfterMs?: number;
}): Promise<ClaudeRun> {
  const home = join(options.dir, 'home');
  const cwd = join(options.dir, 'cwd');
  mkdirSync(home, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    ANTHROPIC_BASE_URL: options.baseURL,
    [options.key.variable]: options.key.value,
  };
  const child = spawn(CLAUDE_BINARY, ['-p', options.prompt, '--model', options.model, ...(options.args ?? [])], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 90_000);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Kills every run still going (teardown). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
