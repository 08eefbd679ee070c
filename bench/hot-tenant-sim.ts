import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '../lambdas/aws-http/dynamodb.js';
import type { StreamInsert } from '../lambdas/ledger/aggregator-records.js';
import { LedgerAggregator } from '../lambdas/ledger/aggregator.js';
import { recordPut } from '../lambdas/ledger/ledger-items.js';
import { fnv1a, LEDGER_GSI_SHARDS } from '../lambdas/ledger/ledger-shards.js';
import { LEASE_TARGET_DRAWS, QuotaLeases } from '../lambdas/quota/quota-leases.js';
import type { QuotaScope } from '../lambdas/quota/quota-scopes.js';
import { QuotaStore } from '../lambdas/quota/quota-store.js';
import { gatewayTable, tables } from '../lambdas/store/tables.js';
import { ensureTablesAt } from '../local/store.js';
import { startTransactFront } from '../local/transact-front.js';
import { DynamoLimits, TRANSACTION_HOLD_MS } from '../local/transact/dynamo-limits.js';
import { checkTotals, type TotalsCheck } from './hot-tenant-check.js';
import { entryOf } from './hot-tenant-entry.js';
import { Tally, tallied } from './hot-tenant-tally.js';

export interface HotTenantOptions {
  /** Requests per second of the one tenant. */
  readonly rate: number;
  /** Simulated seconds measured (after the warm-up). */
  readonly seconds: number;
  /** Upstream time per request: each simulated Lambda instance serves one request at a time. */
  readonly upstreamMs: number;
  /**
   * gsi1 shards of the tenant's records, counters per stream shard and quota sub-items; 1: the layout before (all
   * unsharded; the settles stay in their settle items).
   */
  readonly shards: number;
  /** Stream shards, each with its own aggregator (batches of ≤ 1,000 every second, as lib/ledger-stream.ts). */
  readonly streamShards: number;
  /** DynamoDB's per-partition write rate (1,000; the jest test scales it down with the rate). */
  readonly writeUnitsPerSecond?: number;
  readonly progress?: (line: string) => void;
}

export interface HotTenantResult {
  readonly options: Omit<HotTenantOptions, 'progress'>;
  readonly instances: number;
  readonly requests: number;
  /** Requests that failed (their reservation or booking refused after the retries). */
  readonly failed: number;
  /** Records written, warm-up included: the records the totals must find. */
  readonly booked: number;
  /** Aggregator invocations that failed (their batch retried by the next). */
  readonly aggregationsFailed: number;
  readonly requestPath: { readonly throttled: number; readonly cancelled: number };
  readonly aggregators: { readonly throttled: number; readonly cancelled: number };
  /** The most write units one partition took in one simulated second. */
  readonly busiest: { readonly partition: string; readonly units: number };
  /** Throttled calls per partition key value, and transaction conflicts per item (table, key). */
  readonly throttledBy: Readonly<Record<string, number>>;
  readonly conflictsOn: Readonly<Record<string, number>>;
  readonly totals: TotalsCheck;
}

const STEP_MS = TRANSACTION_HOLD_MS;
const BATCH_MS = 1_000;
const MAX_BATCH = 1_000;
/** Lambda adds at most 1,000 instances per 10 s: the warm-up spreads the instances' first requests so. */
const SCALE_OUT_PER_S = 100;
const LEASE_REQUESTS = 16;
const RESERVED = { tokens: 1_000, micros: 2_000 };
const ACTUAL = { tokens: 600, micros: 1_200 };
const RETRIES = 6;

interface Instance {
  readonly leases: QuotaLeases;
  busyUntil: number;
}

/**
 * One tenant at `rate` requests/s on an injected clock, against the local store front with DynamoDB's limits on
 * (local/transact/dynamo-limits.ts): `rate × upstreamMs` simulated Lambda instances, each with its own quota leases
 * (the real QuotaLeases / QuotaStore), each request reserving before its upstream time and booking its record
 * (`recordPut`) after; the records go to the aggregator of their stream shard (by the record's key hash), which
 * applies ≤ 1,000 of them every second, the shards a fraction of a second apart. The clock moves in steps of a
 * transaction's hold; calls within one step are concurrent. Before the measured seconds, a warm-up gives every
 * instance its first request, spread as Lambda scales out; its calls are not counted.
 */
export async function simulateHotTenant(options: HotTenantOptions): Promise<HotTenantResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hot-tenant-'));
  const start = Date.parse('2026-12-07T12:00:00.000Z');
  let now = start;
  const clock = (): number => now;
  const wait = async (ms: number): Promise<void> => {
    now += Math.max(1, Math.round(ms));
    await new Promise((resolve) => setImmediate(resolve));
  };
  const limits = new DynamoLimits({
    now: clock,
    ...(options.writeUnitsPerSecond === undefined ? {} : { writeUnitsPerSecond: options.writeUnitsPerSecond }),
    readUnitsPerSecond: (options.writeUnitsPerSecond ?? 1_000) * 3,
  });
  const front = await startTransactFront(join(dir, 'db'), { limits, stream: false });
  const base = new DynamoDBClient({
    endpoint: front.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const table = gatewayTable.id;
  const requestTally = new Tally();
  const aggregatorTally = new Tally();
  const requestClient = tallied(base, requestTally);
  const sharded = options.shards > 1;
  const aggregator = new LedgerAggregator(tallied(base, aggregatorTally), table, {
    shardCounters: sharded,
    wait,
    now: clock,
  });
  const store = new QuotaStore(requestClient, table, clock, wait, sharded);
  const scope: QuotaScope = { kind: 'tenant', pk: 'QUOTA#TENANT#hot', limits: { tokensPerMonth: 1e15 } };
  const instances: Instance[] = [];
  const queues: StreamInsert[][] = Array.from({ length: options.streamShards }, () => []);
  let seq = 0;
  let ids = 0;
  let requests = 0;
  let failed = 0;
  let booked = 0;
  let aggregationsFailed = 0;
  const completions = new Map<number, (() => Promise<void>)[]>();

  const retried = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (attempt >= RETRIES) throw err;
        await wait(10 * 2 ** attempt);
      }
    }
  };
  const serve = async (instance: Instance): Promise<void> => {
    const arrived = now;
    instance.busyUntil = arrived + options.upstreamMs;
    const id = `req_hot${String((ids += 1)).padStart(12, '0')}`;
    let reservation;
    try {
      ({ reservation } = await retried(() =>
        instance.leases.reserve([scope], RESERVED, options.upstreamMs + 10_000, LEASE_REQUESTS),
      ));
    } catch (err) {
      failed += 1;
      options.progress?.(`a reservation failed: ${err instanceof Error ? err.name : String(err)}`);
      return;
    }
    const due = Math.ceil((arrived + options.upstreamMs - start) / STEP_MS);
    const book = async (): Promise<void> => {
      const put = recordPut(
        table,
        entryOf(id, now, ACTUAL),
        { reservation, actual: ACTUAL },
        sharded ? LEDGER_GSI_SHARDS : 1,
      );
      try {
        await retried(() => requestClient.send(new PutItemCommand(put)));
      } catch (err) {
        failed += 1;
        options.progress?.(`a booking failed: ${err instanceof Error ? err.name : String(err)}`);
        return;
      }
      booked += 1;
      const image = put.Item ?? {};
      queues[fnv1a(id) % options.streamShards]!.push({ seq: String((seq += 1)), image });
    };
    completions.set(due, [...(completions.get(due) ?? []), book]);
  };
  /** One invocation of a shard's aggregator: its next batch (a failed one stays queued for the next, as in AWS). */
  const aggregate = async (shard: number): Promise<void> => {
    const queue = queues[shard]!;
    const batch = queue.slice(0, MAX_BATCH);
    if (batch.length === 0) return;
    try {
      await aggregator.apply(`shardId-${String(shard).padStart(8, '0')}-hot`, batch);
      queue.splice(0, batch.length);
    } catch {
      aggregationsFailed += 1;
    }
  };
  /** Every shard's queue applied, the shards' invocations apart on the clock. */
  const drainShards = async (): Promise<void> => {
    for (let round = 0; queues.some((q) => q.length > 0) && round < 100; round++)
      for (let shard = 0; shard < options.streamShards; shard++) {
        now += BATCH_MS / options.streamShards;
        await aggregate(shard);
      }
  };
  /** The bookings due by `step`, one after another (the warm-up's). */
  const bookDue = async (step: number): Promise<void> => {
    for (const due of [...completions.keys()].filter((k) => k <= step).sort((a, b) => a - b)) {
      for (const book of completions.get(due) ?? []) await book();
      completions.delete(due);
    }
  };

  try {
    await ensureTablesAt(front.endpoint, tables);
    // Warm-up (not counted): every instance serves two requests an upstream time apart — its own reservation, then
    // its first lease —, the instances spread as Lambda scales out and over a lease's life, so that leases end and
    // are renewed during the measured seconds as in a steady state.
    const count = Math.max(1, Math.round((options.rate * options.upstreamMs) / 1000));
    const warmMs = Math.max((count / SCALE_OUT_PER_S) * 1000, 1.5 * LEASE_TARGET_DRAWS * options.upstreamMs);
    for (let i = 0; i < count; i++) instances.push({ leases: new QuotaLeases(store, clock), busyUntil: 0 });
    const warmStart = start - warmMs - 2 * options.upstreamMs - 10 * BATCH_MS;
    const firsts = instances.map((instance, i) => ({ instance, at: warmStart + (i * warmMs) / count }));
    const arrivals = [...firsts, ...firsts.map((a) => ({ ...a, at: a.at + options.upstreamMs }))].sort(
      (a, b) => a.at - b.at,
    );
    now = warmStart;
    for (const { instance, at } of arrivals) {
      now = Math.max(now, at);
      await bookDue(Math.floor((now - start) / STEP_MS));
      await serve(instance);
    }
    now = Math.max(now, start - 5 * BATCH_MS);
    await bookDue(0);
    await drainShards();
    now = Math.max(now + BATCH_MS, start);
    requestTally.reset();
    aggregatorTally.reset();
    limits.resetStats();
    options.progress?.(
      `${count} instances warm; ${options.seconds} s at ${options.rate} req/s, shards ${options.shards}`,
    );

    // Measured: arrivals every step, completions after the upstream time, each shard's batch every second.
    const steps = Math.ceil((options.seconds * 1000) / STEP_MS);
    const drain = Math.ceil((options.upstreamMs + 2 * BATCH_MS) / STEP_MS);
    let owed = 0;
    let free = 0;
    for (let step = 0; step < steps + drain; step++) {
      // Retries' waits move the clock on; it never goes back (a transaction's hold is on it).
      now = Math.max(now, start + step * STEP_MS);
      const work: Promise<void>[] = [];
      if (step < steps) {
        owed += (options.rate * STEP_MS) / 1000;
        for (; owed >= 1; owed -= 1) {
          let instance: Instance | undefined;
          for (let tries = 0; tries < instances.length && instance === undefined; tries++) {
            const candidate = instances[(free = (free + 1) % instances.length)]!;
            if (candidate.busyUntil <= now) instance = candidate;
          }
          if (instance === undefined) {
            instance = { leases: new QuotaLeases(store, clock), busyUntil: 0 };
            instances.push(instance);
          }
          requests += 1;
          work.push(serve(instance));
        }
      }
      // Every booking due by now (a reservation retried past its due step registers its booking late).
      for (const due of [...completions.keys()].filter((k) => k <= step)) {
        work.push(...(completions.get(due) ?? []).map((book) => book()));
        completions.delete(due);
      }
      const offset = (step * STEP_MS) % BATCH_MS;
      for (let shard = 0; shard < options.streamShards; shard++)
        if (offset === Math.floor((shard * BATCH_MS) / options.streamShards / STEP_MS) * STEP_MS)
          work.push(aggregate(shard));
      await Promise.all(work);
      if (step % Math.round(BATCH_MS / STEP_MS) === 0 && step > 0)
        options.progress?.(`${(step * STEP_MS) / 1000} s simulated, ${requests} requests`);
    }
    await bookDue(Number.MAX_SAFE_INTEGER);
    await drainShards();
    const totals = await checkTotals(base, table, 'hot', scope.pk, ACTUAL);
    return {
      options: {
        rate: options.rate,
        seconds: options.seconds,
        upstreamMs: options.upstreamMs,
        shards: options.shards,
        streamShards: options.streamShards,
        ...(options.writeUnitsPerSecond === undefined ? {} : { writeUnitsPerSecond: options.writeUnitsPerSecond }),
      },
      instances: instances.length,
      requests,
      failed,
      booked,
      aggregationsFailed,
      requestPath: { throttled: requestTally.throttled, cancelled: requestTally.cancelled },
      aggregators: { throttled: aggregatorTally.throttled, cancelled: aggregatorTally.cancelled },
      busiest: limits.stats.busiest,
      throttledBy: Object.fromEntries(limits.stats.throttledBy),
      conflictsOn: Object.fromEntries(limits.stats.conflictsOn),
      totals,
    };
  } finally {
    base.destroy();
    await front.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
