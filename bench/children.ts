import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where `tsx` and the entry points resolve. */
export const repoRoot = fileURLToPath(new URL('../', import.meta.url));

export interface ChildHandle {
  readonly name: string;
  readonly pid: number | undefined;
  /** The last few kilobytes the process wrote (stdout and stderr), for error messages. */
  output(): string;
  /** How the process ended (exit code or signal), undefined while it runs. */
  exited(): string | undefined;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
const TAIL = 8192;

/** Kills every child still running, synchronously (for process 'exit' and signal handlers). */
export function killChildrenNow(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Node's arguments for running a TypeScript entry point of this repository through tsx. */
export const tsxScript = (script: string): string[] => ['--import', 'tsx', script];

/** Where each child's whole output goes (stdout and stderr), one file per child, replaced at each run. */
export const logDir = join(repoRoot, '.bench', 'logs');

/** The log file of the child named `name`. */
export const logFileOf = (name: string): string =>
  join(logDir, `${name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-|-$/g, '')}.log`);

/** The last `TAIL` characters of a file, '' when it cannot be read. */
function tailOf(path: string): string {
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, TAIL);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/**
 * Runs `node <args>` (this Node) from the repository root, resolved once its output matches `ready`. Its stdin
 * stays open: a child may take the end of stdin as "the parent is gone". Its output (stdout and stderr) goes
 * straight to .bench/logs/<name>.log — a file the child writes itself, so the bench process, which is also the load
 * client, does no work for a target's logs while it measures.
 */
export async function startChild(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<{ handle: ChildHandle; match: RegExpExecArray }> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=.bench/prof") go to every child's node: for profiling a run.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  mkdirSync(logDir, { recursive: true });
  const logFile = logFileOf(name);
  const logFd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: repoRoot, env, stdio: ['pipe', logFd, logFd] });
  closeSync(logFd); // the child has its own copy
  running.add(child);
  let ended: string | undefined;
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      ended = signal ?? String(code);
      resolve(ended);
    }),
  );
  child.stdin?.on('error', () => undefined);
  const tail = (): string => tailOf(logFile);

  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const handle: ChildHandle = { name, pid: child.pid, output: tail, exited: () => ended, stop };

  try {
    const match = await new Promise<RegExpExecArray>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearInterval(poll);
        clearTimeout(timer);
        outcome();
      };
      // The start-up output is small: read the whole file until the ready line is in it.
      const poll = setInterval(() => {
        let text: string;
        try {
          text = readFileSync(logFile, 'utf8');
        } catch {
          return;
        }
        const found = ready.exec(text);
        if (found !== null) finish(() => resolve(found));
      }, 20);
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s:\n${tail()}`))),
        timeoutMs,
      );
      void exited.then((how) =>
        finish(() => reject(new Error(`${name} exited (${how}) before it was ready:\n${tail()}`))),
      );
      child.on('error', (err) => finish(() => reject(err)));
    });
    return { handle, match };
  } catch (err) {
    await stop(2000);
    throw err;
  }
}
