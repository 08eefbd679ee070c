import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { batchOutput } from '../../local/batched-stdout.js';

// `npm start` batches its standard output: log lines wait up to the window and go out in one write; a process that
// exits writes what waits first.

/** A stand-in for process.stdout that records each write it gets. */
function recordingStream(): { stream: NodeJS.WriteStream & { fd: number }; writes: string[] } {
  const writes: string[] = [];
  const stream = {
    fd: -1,
    write(chunk: string, cb?: (err?: Error | null) => void): boolean {
      writes.push(chunk);
      cb?.(null);
      return true;
    },
  };
  return { stream: stream as unknown as NodeJS.WriteStream & { fd: number }, writes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('lines written within the window go out together, in order, once the window has passed', async () => {
  const { stream, writes } = recordingStream();
  const output = batchOutput(stream, { flushMs: 20, maxBytes: 1 << 20 });
  const done: unknown[] = [];
  stream.write('one\n');
  stream.write('two\n', () => done.push('two'));
  stream.write(Buffer.from('three\n'));
  expect(writes).toEqual([]);
  await sleep(60);
  expect(writes).toEqual(['one\ntwo\nthree\n']);
  expect(done).toEqual(['two']);
  output.restore();
  stream.write('after\n');
  expect(writes).toEqual(['one\ntwo\nthree\n', 'after\n']);
});

it('output past the size limit goes out at once', () => {
  const { stream, writes } = recordingStream();
  const output = batchOutput(stream, { flushMs: 60_000, maxBytes: 10 });
  stream.write('12345');
  expect(writes).toEqual([]);
  stream.write('67890\n');
  expect(writes).toEqual(['1234567890\n']);
  output.restore();
});

it('a process that exits writes what was waiting', () => {
  const module = fileURLToPath(new URL('../../local/batched-stdout.ts', import.meta.url));
  const script = `import { batchOutput } from ${JSON.stringify(module)};
batchOutput(process.stdout, { flushMs: 60000 });
process.stdout.write('waiting line\\n');
process.exit(0);`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  expect(out).toBe('waiting line\n');
});

it('standard error joins the queue: an error line written after an info line comes out after it', () => {
  const order: string[] = [];
  const { stream: out } = recordingStream();
  const { stream: err } = recordingStream();
  out.write = ((chunk: string) => order.push(`out:${chunk}`) > 0) as typeof out.write;
  err.write = ((chunk: string) => order.push(`err:${chunk}`) > 0) as typeof err.write;
  const output = batchOutput(out, { flushMs: 60_000, maxBytes: 1 << 20, errors: err });
  out.write('info one\n');
  err.write('error two\n');
  out.write('info three\n');
  expect(order).toEqual([]);
  output.flush();
  expect(order).toEqual(['out:info one\n', 'err:error two\n', 'out:info three\n']);
  output.restore();
});

it('maxBytes 0 writes each line at once; a transform applies to every chunk', () => {
  const { stream, writes } = recordingStream();
  const output = batchOutput(stream, { maxBytes: 0, transform: (chunk) => chunk.toUpperCase() });
  stream.write('one\n');
  expect(writes).toEqual(['ONE\n']);
  output.restore();
});

it('a process logging an info line then an error line: both reach one terminal in that order', () => {
  const batched = fileURLToPath(new URL('../../local/batched-stdout.ts', import.meta.url));
  const logger = fileURLToPath(new URL('../../lambdas/core/logger.ts', import.meta.url));
  const script = `import { batchOutput } from ${JSON.stringify(batched)};
import { logger } from ${JSON.stringify(logger)};
const output = batchOutput(process.stdout, { flushMs: 60000, errors: process.stderr });
logger.info('first, info');
logger.error('second, error');
output.flush();`;
  // Standard output and error into one pipe, as on a terminal.
  const out = execFileSync('sh', ['-c', `"${process.execPath}" --import tsx --input-type=module -e "$SCRIPT" 2>&1`], {
    encoding: 'utf8',
    env: { ...process.env, SCRIPT: script, POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_DEV: '' },
  });
  const messages = out
    .trimEnd()
    .split('\n')
    .map((line) => (JSON.parse(line) as { message: string }).message);
  expect(messages).toEqual(['first, info', 'second, error']);
});
