import { parseArgs } from 'node:util';

/** What a row sends its requests through. */
export const TARGETS = ['direct', 'passthrough', 'sdk-floor', 'gateway', 'gateway-cache', 'portkey'] as const;
export type TargetName = (typeof TARGETS)[number];
export const MODES = ['json', 'stream'] as const;
export type Mode = (typeof MODES)[number];

/** How a row loads its target: a fixed number of clients back to back, or requests started on a fixed schedule. */
export type Load =
  { readonly kind: 'concurrency'; readonly clients: number } | { readonly kind: 'rate'; readonly perSecond: number };

export interface BenchSettings {
  readonly targets: readonly TargetName[];
  readonly modes: readonly Mode[];
  /** Every load each target × mode runs under, in order: the fixed concurrency first, then the rates. */
  readonly loads: readonly Load[];
  /** Measured seconds per row (ignored by fixed-concurrency rows when `requests` is set). */
  readonly durationS: number;
  /** Fixed-concurrency rows: measured requests instead of a duration. */
  readonly requests: number | undefined;
  /** Unmeasured seconds per row before measuring, under the same load. */
  readonly warmupS: number;
  /** Fixed latency of the fake upstream, before the JSON answer or the first stream chunk. */
  readonly upstreamLatencyMs: number;
  /** A request without a complete answer after this long is aborted and counted as a timeout. */
  readonly timeoutS: number;
  /** Fixed-rate rows: a request due while this many are in flight is not sent and counts as an error. */
  readonly maxInFlight: number;
  /** Whether to run the load comparison (false with --cold-start). */
  readonly load: boolean;
  /** Whether to run the cold-start measurement (false with --no-cold-start). */
  readonly coldStart: boolean;
  /** Fresh processes per bundle for the init time. */
  readonly initRuns: number;
  /** Only the memory soak (bench/soak.ts): the gateway alone for this many seconds. */
  readonly soakS: number | undefined;
  /** Only the AWS-path measurement (bench/aws-mode.ts): one request at a time, the store behind a delaying proxy. */
  readonly aws: boolean;
  /** AWS mode: delay the store proxy adds to every DynamoDB call, ms. */
  readonly storeDelayMs: number;
  readonly jsonOnly: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

Without options: the whole comparison (every target, json and stream, 50 clients and 100, 500, 1000 req/s, zero-latency
upstream, 5 s per row after 1 s warm-up), then the cold-start figures of every function bundle.

  --targets <list>     of direct, passthrough, sdk-floor, gateway, gateway-cache, portkey (default all; direct always
                       runs as the baseline; gateway-cache: the same request to a cached alias, so every request
                       after the first is a cache hit, next to gateway's misses)
  --modes <list>       of json, stream (default both)
  --concurrency <n>    clients of the fixed-concurrency rows (default 50; 0 = no such rows)
  --rates <list>       requests per second of the fixed-rate rows (default 100,500,1000; "none" = no such rows)
  --duration <s>       measured seconds per row (default 5)
  --requests <n>       fixed-concurrency rows: measured requests instead of a duration
  --warmup <s>         unmeasured seconds per row before measuring (default 1)
  --latency <ms>       fixed latency of the fake upstream (default 0; 50 for a provider-like wait)
  --timeout <s>        a request without a complete answer by then counts as a timeout (default 10)
  --max-in-flight <n>  fixed-rate rows: requests due while this many are in flight are not sent (default 1000)
  --cold-start         only the cold-start figures (bundle sizes, init time, store/secret calls at init)
  --no-cold-start      only the load comparison
  --init-runs <n>      fresh processes per bundle for the init time (default 10)
  --soak <s>           only a memory soak: the gateway alone for <s> seconds at the first --rates rate (default
                       500/s) and the first --modes mode, its RSS and latency printed every 30 s
  --aws                only the AWS path: gateway (GATEWAY_LEDGER_JOURNAL=off), sdk-floor and direct, one request at a
                       time (--requests, default 200, after 20 unmeasured), the gateway's store behind a proxy that
                       delays each DynamoDB call; added latency, store calls and write units per request, log bytes,
                       RSS, CPU, and the estimated AWS cost per million requests
  --store-delay <ms>   --aws: delay per DynamoDB call (default 5)
  --hot-tenant         only the one-tenant simulation (bench/hot-tenant.ts): one tenant at --rate <n> req/s
                       (default 5000) for --seconds <n> simulated seconds (default 5), --upstream-ms <ms> per
                       request (default 2000), on an injected clock against the local store with DynamoDB's limits
                       on; the sharded layout (--shards <n>, default 16) beside the layout before (1); --stream-shards
                       <n> aggregators (default 8)
  --json-only          print only the JSON results
  --help`;

export class UsageError extends Error {}

/** `--hot-tenant`: bench/hot-tenant.ts parses its own flags. */
export const isHotTenant = (argv: readonly string[]): boolean => argv.includes('--hot-tenant');

function positive(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}"`);
  }
  return n;
}

/** A comma-separated list of names out of `allowed`, in the order of `allowed`, without repeats. */
function namesOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): readonly T[] {
  if (value === undefined) return allowed;
  const given = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const unknown = given.filter((name) => !(allowed as readonly string[]).includes(name));
  if (unknown.length > 0 || given.length === 0) {
    throw new UsageError(`--${flag} takes a list of ${allowed.join(', ')}; got "${value}"`);
  }
  return allowed.filter((name) => given.includes(name));
}

function ratesOf(value: string | undefined): number[] {
  if (value === undefined) return [100, 500, 1000];
  if (value.trim() === 'none') return [];
  const rates = value.split(',').map((part) => positive('rates', part.trim(), 0));
  return [...new Set(rates)];
}

/** Parses the command line; `undefined` when help was asked for. */
export function parseBenchArgs(argv: readonly string[]): BenchSettings | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        targets: { type: 'string' },
        modes: { type: 'string' },
        concurrency: { type: 'string' },
        rates: { type: 'string' },
        duration: { type: 'string' },
        requests: { type: 'string' },
        warmup: { type: 'string' },
        latency: { type: 'string' },
        timeout: { type: 'string' },
        'max-in-flight': { type: 'string' },
        'cold-start': { type: 'boolean', default: false },
        'no-cold-start': { type: 'boolean', default: false },
        'init-runs': { type: 'string' },
        soak: { type: 'string' },
        aws: { type: 'boolean', default: false },
        'store-delay': { type: 'string' },
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
  if (v['cold-start'] === true && v['no-cold-start'] === true)
    throw new UsageError('--cold-start and --no-cold-start exclude each other');
  const chosen = namesOf('targets', v.targets, TARGETS);
  const targets = TARGETS.filter((name) => name === 'direct' || chosen.includes(name));
  const clients = Math.floor(positive('concurrency', v.concurrency, 50, true));
  const soakS = v.soak === undefined ? undefined : positive('soak', v.soak, 1);
  const loads: Load[] = [
    ...(clients > 0 ? [{ kind: 'concurrency' as const, clients }] : []),
    // A soak runs at the first rate given, 500/s by default.
    ...(soakS !== undefined && v.rates === undefined ? [500] : ratesOf(v.rates)).map((perSecond) => ({
      kind: 'rate' as const,
      perSecond,
    })),
  ];
  if (soakS !== undefined && v['cold-start'] === true)
    throw new UsageError('--soak and --cold-start exclude each other');
  const aws = v.aws === true;
  if (aws && (soakS !== undefined || v['cold-start'] === true))
    throw new UsageError('--aws excludes --soak and --cold-start');
  const load = v['cold-start'] !== true && soakS === undefined && !aws;
  if (load && loads.length === 0) throw new UsageError('no load left: give --concurrency > 0 or --rates');
  if (soakS !== undefined && !loads.some((entry) => entry.kind === 'rate') && v.rates !== undefined)
    throw new UsageError('--soak runs at a fixed rate: give --rates');
  return {
    targets,
    modes: namesOf('modes', v.modes, MODES),
    loads,
    durationS: positive('duration', v.duration, 5),
    requests: v.requests === undefined ? undefined : Math.floor(positive('requests', v.requests, 1)),
    warmupS: positive('warmup', v.warmup, 1, true),
    upstreamLatencyMs: positive('latency', v.latency, 0, true),
    timeoutS: positive('timeout', v.timeout, 10),
    maxInFlight: Math.floor(positive('max-in-flight', v['max-in-flight'], 1000)),
    load,
    coldStart: v['no-cold-start'] !== true && soakS === undefined && !aws,
    initRuns: Math.floor(positive('init-runs', v['init-runs'], 10)),
    soakS,
    aws,
    storeDelayMs: positive('store-delay', v['store-delay'], 5, true),
    jsonOnly: v['json-only'] === true,
  };
}

/** "50 clients" or "500/s": how the table and the progress lines name a load. */
export const loadName = (load: Load): string =>
  load.kind === 'concurrency' ? `${load.clients} clients` : `${load.perSecond}/s`;
