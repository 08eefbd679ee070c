import type { TimedExchange } from './aws-client.js';
import type { StoreCall } from './store-proxy.js';
import { msBetween, percentileOf } from './stats.js';

/** p50 and p95 of a latency, ms. */
export interface Spread {
  readonly p50: number;
  readonly p95: number;
}

export function spreadOf(values: readonly number[]): Spread | undefined {
  const p50 = percentileOf(values, 50);
  const p95 = percentileOf(values, 95);
  return p50 === undefined || p95 === undefined ? undefined : { p50, p95 };
}

export const minus = (of: Spread | undefined, base: Spread | undefined): Spread | undefined =>
  of === undefined || base === undefined ? undefined : { p50: of.p50 - base.p50, p95: of.p95 - base.p95 };

/** Where a store call sits against the client's view of its request. */
export const POSITIONS = ['beforeFirstByte', 'beforeEnd', 'afterEnd'] as const;
export type Position = (typeof POSITIONS)[number];

/** The store traffic of one target × mode, per request. */
export interface StoreFigures {
  /** Calls per request by operation. */
  readonly callsPerRequest: Readonly<Record<string, number>>;
  /** Calls per request by position, then by operation. */
  readonly byPosition: Readonly<Record<Position, Readonly<Record<string, number>>>>;
  readonly writeUnitsPerRequest: number;
  readonly readUnitsPerRequest: number;
  /** Mean time from the client's last byte to the answer of the last store call after it (what Lambda still bills). */
  readonly afterEndMs: number;
}

const add = (counts: Record<string, number>, op: string, by: number): void => {
  counts[op] = (counts[op] ?? 0) + by;
};

const perRequest = (counts: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).map(([op, count]) => [op, count / n]));

/**
 * Assigns each store call to the request whose window it arrived in (from that request's send to the next one's)
 * and to its position: before the client's first byte, before its last byte, or after the end.
 */
export function storeFigures(exchanges: readonly TimedExchange[], calls: readonly StoreCall[]): StoreFigures {
  const n = Math.max(1, exchanges.length);
  const total: Record<string, number> = {};
  const byPosition: Record<Position, Record<string, number>> = { beforeFirstByte: {}, beforeEnd: {}, afterEnd: {} };
  let writeUnits = 0;
  let readUnits = 0;
  let afterEndMs = 0;
  exchanges.forEach((exchange, i) => {
    const next = exchanges[i + 1]?.startedAt;
    let lastAfterEnd: bigint | undefined;
    for (const call of calls) {
      if (call.arrivedAt < exchange.startedAt || (next !== undefined && call.arrivedAt >= next)) continue;
      const position: Position =
        call.arrivedAt < exchange.firstByteAt
          ? 'beforeFirstByte'
          : call.arrivedAt < exchange.endedAt
            ? 'beforeEnd'
            : 'afterEnd';
      add(total, call.op, 1);
      add(byPosition[position], call.op, 1);
      writeUnits += call.writeUnits;
      readUnits += call.readUnits;
      if (position === 'afterEnd' && call.endedAt !== undefined && (lastAfterEnd ?? 0n) < call.endedAt)
        lastAfterEnd = call.endedAt;
    }
    if (lastAfterEnd !== undefined) afterEndMs += msBetween(exchange.endedAt, lastAfterEnd);
  });
  return {
    callsPerRequest: perRequest(total, n),
    byPosition: {
      beforeFirstByte: perRequest(byPosition.beforeFirstByte, n),
      beforeEnd: perRequest(byPosition.beforeEnd, n),
      afterEnd: perRequest(byPosition.afterEnd, n),
    },
    writeUnitsPerRequest: writeUnits / n,
    readUnitsPerRequest: readUnits / n,
    afterEndMs: afterEndMs / n,
  };
}

/** Log bytes per request of a process's output, split into EMF documents and other lines. */
export interface LogFigures {
  readonly emfBytes: number;
  readonly otherBytes: number;
  readonly totalBytes: number;
  /** Lines per request. */
  readonly emfLines: number;
  readonly otherLines: number;
}

export function logFigures(output: string, requests: number): LogFigures {
  const n = Math.max(1, requests);
  let emf = 0;
  let other = 0;
  let emfLines = 0;
  let otherLines = 0;
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const bytes = Buffer.byteLength(line) + 1;
    if (line.includes('"_aws":')) {
      emf += bytes;
      emfLines++;
    } else {
      other += bytes;
      otherLines++;
    }
  }
  return {
    emfBytes: emf / n,
    otherBytes: other / n,
    totalBytes: (emf + other) / n,
    emfLines: emfLines / n,
    otherLines: otherLines / n,
  };
}
