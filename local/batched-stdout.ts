import { writeSync } from 'node:fs';

type WriteCallback = (err?: Error | null) => void;
type OutputStream = NodeJS.WriteStream & { readonly fd: number };
type OwnWrite = (chunk: string, cb?: WriteCallback) => boolean;

export interface BatchedOutput {
  /** Writes what is waiting now (asynchronously, through the streams' own write). */
  flush(): void;
  /** Puts the streams' own `write` back, after writing what is waiting. */
  restore(): void;
}

export interface BatchOptions {
  /** How long a line may wait for others before it is written. */
  readonly flushMs: number;
  /** Waiting output past this size is written at once (0: every write goes out at once). */
  readonly maxBytes: number;
  /** Standard error: its lines join the same queue, so an error line never overtakes an earlier info line. */
  readonly errors?: OutputStream;
  /** Applied to each written chunk before it waits (the pretty log form, local/log-format.ts). */
  readonly transform?: (chunk: string) => string;
}

const DEFAULTS: BatchOptions = { flushMs: 25, maxBytes: 64 * 1024 };

/** A run of waiting output bound for one stream. */
interface Run {
  readonly stream: OutputStream;
  readonly own: OwnWrite;
  parts: string[];
  callbacks: WriteCallback[];
}

/**
 * Batches what the process writes to `stream` (its standard output) and, given `errors`, to standard error: lines
 * wait up to `flushMs` and go out in one write per stream run, in the order they were written. Node writes standard
 * output synchronously when it is a pipe or a file, one system call per log line, and a pipe's reader is woken for
 * each; under load that is a large part of a request's cost. Used by `npm start` only: in Lambda a line must be out
 * before the invocation ends, so nothing waits there.
 *
 * What waits is written synchronously when the process exits (process.exit, an uncaught exception, a signal handled
 * by exiting); a SIGKILL loses at most the last `flushMs` of output.
 */
export function batchOutput(stream: OutputStream, options: Partial<BatchOptions> = {}): BatchedOutput {
  const { flushMs, maxBytes, errors, transform } = { ...DEFAULTS, ...options };
  const streams = errors === undefined ? [stream] : [stream, errors];
  const originals = streams.map((s) => ({ s, write: s.write }));
  let runs: Run[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;

  const take = (): Run[] => {
    clearTimeout(timer);
    timer = undefined;
    const taken = runs;
    runs = [];
    bytes = 0;
    return taken;
  };
  const flush = (): void => {
    for (const run of take()) {
      const done = run.callbacks;
      run.own(run.parts.join(''), (err) => {
        for (const cb of done) cb(err);
      });
    }
  };
  const flushSync = (): void => {
    for (const run of take()) {
      try {
        writeSync(run.stream.fd, run.parts.join(''));
      } catch {
        // Nowhere left to write to (the reader is gone): the lines are lost, as they would be unbatched.
      }
      for (const cb of run.callbacks) cb(null);
    }
  };

  const batchedFor = (target: OutputStream) => {
    const own = target.write.bind(target) as OwnWrite;
    return (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      // Everything written here is text (log lines, the start banner); bytes are taken as UTF-8.
      const raw = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const text = transform === undefined ? raw : transform(raw);
      let run = runs.at(-1);
      if (run?.stream !== target) {
        run = { stream: target, own, parts: [], callbacks: [] };
        runs.push(run);
      }
      run.parts.push(text);
      bytes += text.length;
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') run.callbacks.push(done as WriteCallback);
      if (bytes >= maxBytes) flush();
      else timer ??= setTimeout(flush, flushMs).unref();
      return true;
    };
  };
  for (const target of streams) target.write = batchedFor(target) as typeof target.write;
  process.on('exit', flushSync);

  return {
    flush,
    restore: () => {
      flushSync();
      process.off('exit', flushSync);
      for (const { s, write } of originals) s.write = write;
    },
  };
}
