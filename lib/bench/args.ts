import { parseArgs } from 'node:util';

export interface BenchSettings {
  /** Concurrent clients, each with one request in flight. */
  readonly concurrency: number;
  /** Measured seconds per scenario (ignored when `requests` is set). */
  readonly durationS: number;
  /** Measured requests per scenario instead of a duration. */
  readonly requests: number | undefined;
  /** Unmeasured seconds per scenario before measuring. */
  readonly warmupS: number;
  /** Fixed latency of the fake upstream, before the JSON answer or the first stream chunk. */
  readonly upstreamLatencyMs: number;
  readonly jsonOnly: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --concurrency <n>   concurrent clients (default 50)
  --duration <s>      measured seconds per scenario (default 10)
  --requests <n>      measured requests per scenario instead of a duration
  --warmup <s>        warm-up seconds per scenario, not measured (default 2)
  --latency <ms>      fixed latency of the fake upstream (default 50)
  --json-only         print only the JSON results
  --help`;

export class UsageError extends Error {}

function positive(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}"`);
  return n;
}

/** Parses the command line; `undefined` when help was asked for. */
export function parseBenchArgs(argv: readonly string[]): BenchSettings | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        concurrency: { type: 'string' },
        duration: { type: 'string' },
        requests: { type: 'string' },
        warmup: { type: 'string' },
        latency: { type: 'string' },
        'json-only': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help === true) return undefined;
  const concurrency = Math.floor(positive('concurrency', v.concurrency, 50));
  const requests = v.requests === undefined ? undefined : Math.floor(positive('requests', v.requests, 1));
  return {
    concurrency,
    durationS: positive('duration', v.duration, 10),
    requests,
    warmupS: positive('warmup', v.warmup, 2, true),
    upstreamLatencyMs: positive('latency', v.latency, 50, true),
    jsonOnly: v['json-only'] === true,
  };
}
