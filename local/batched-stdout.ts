import { writeSync } from 'node:fs';

type WriteCallback = (err?: Error | null) => void;

export interface BatchedOutput {
  /** Writes what is waiting now (asynchronously, through the stream's own write). */
  flush(): void;
  /** Puts the stream's own `write` back, after writing what is waiting. */
  restore(): void;
}

export interface BatchOptions {
  /** How long a line may wait for others before it is written. */
  readonly flushMs: number;
  /** Waiting output past this size is written at once. */
  readonly maxBytes: number;
}

const DEFAULTS: BatchOptions = { flushMs: 25, maxBytes: 64 * 1024 };

/**
 * Batches what the process writes to `stream` (its standard output): lines wait up to `flushMs` and go out in one
 * write. Node writes standard output synchronously when it is a pipe or a file, one system call per log line, and a
 * pipe's reader is woken for each; under load that is a large part of a request's cost. Used by `npm start` only: in
 * Lambda a line must be out before the invocation ends, so nothing waits there.
 *
 * What waits is written synchronously when the process exits (process.exit, an uncaught exception, a signal handled
 * by exiting); a SIGKILL loses at most the last `flushMs` of output. Standard error is left alone.
 */
export function batchOutput(
  stream: NodeJS.WriteStream & { readonly fd: number },
  options: Partial<BatchOptions> = {},
): BatchedOutput {
  const { flushMs, maxBytes } = { ...DEFAULTS, ...options };
  const own = stream.write.bind(stream) as (chunk: string, cb?: WriteCallback) => boolean;
  const original = stream.write;
  let parts: string[] = [];
  let callbacks: WriteCallback[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;

  const take = (): { text: string; done: WriteCallback[] } => {
    clearTimeout(timer);
    timer = undefined;
    const taken = { text: parts.join(''), done: callbacks };
    parts = [];
    callbacks = [];
    bytes = 0;
    return taken;
  };
  const flush = (): void => {
    if (parts.length === 0) return;
    const { text, done } = take();
    own(text, (err) => {
      for (const cb of done) cb(err);
    });
  };
  const flushSync = (): void => {
    if (parts.length === 0) return;
    const { text, done } = take();
    try {
      writeSync(stream.fd, text);
    } catch {
      // Nowhere left to write to (the reader is gone): the lines are lost, as they would be unbatched.
    }
    for (const cb of done) cb(null);
  };

  const batched = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    // Everything written here is text (log lines, the start banner); bytes are taken as UTF-8.
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    parts.push(text);
    bytes += text.length;
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') callbacks.push(done as WriteCallback);
    if (bytes >= maxBytes) flush();
    else timer ??= setTimeout(flush, flushMs).unref();
    return true;
  };
  stream.write = batched as typeof stream.write;
  process.on('exit', flushSync);

  return {
    flush,
    restore: () => {
      flushSync();
      process.off('exit', flushSync);
      stream.write = original;
    },
  };
}
