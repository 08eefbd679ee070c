import type { ScopeStanding } from './quota-store.js';
import type { ReservationAmount } from './reservation-amount.js';

/** A lease lives at least this long (so that it covers several upstream times even when requests are rare)… */
export const LEASE_MIN_MS = 30_000;
/** …and at most this long by default (QuotaLeases' `maxLeaseMs`): a crashed holder's rest is held that long at most. */
export const LEASE_MAX_MS = 15 * 60_000;
/** The draws a lease is sized for, at the observed rate (within the bounds above): ≤ 1/64 store call per request. */
export const LEASE_TARGET_DRAWS = 64;
/** A lease holds at most this share of what its scopes had left when last seen, so leases stay small near a limit. */
export const LEASE_SHARE_OF_LEFT = 1 / 8;
/** Its time runs this much longer than its expected draws take, so a steady lease ends used up (no rest to give back). */
const TIME_SLACK = 1.5;
const MAX_DRAWS = 100_000;
/** The weight of the newest gap in the observed gap between requests (exponential moving average). */
const GAP_WEIGHT = 0.25;

/** The pace of one lease key's requests: the moving average of the gaps between them. */
export class Pace {
  private last: number | undefined;
  gapMs: number | undefined;

  observe(now: number): void {
    if (this.last !== undefined) {
      const gap = Math.max(0, now - this.last);
      this.gapMs = this.gapMs === undefined ? gap : this.gapMs + GAP_WEIGHT * (gap - this.gapMs);
    }
    this.last = now;
  }
}

/** The least a lease's scopes had left (per dimension), when a standing says. */
function leftOf(standings: readonly ScopeStanding[]): { tokens: number | undefined; micros: number | undefined } {
  // A sharded scope's figures are one sub-item's left times their number: a lease must fit the one sub-item.
  const perItem = (s: ScopeStanding, left: number | undefined): number | undefined =>
    left === undefined ? undefined : left / (s.shares ?? 1);
  const tokens = standings
    .flatMap((s) => [perItem(s, s.tokensLeftDay), perItem(s, s.tokensLeftMonth)])
    .filter((v): v is number => v !== undefined);
  const micros = standings.map((s) => perItem(s, s.microsLeftMonth)).filter((v): v is number => v !== undefined);
  return {
    tokens: tokens.length === 0 ? undefined : Math.min(...tokens),
    micros: micros.length === 0 ? undefined : Math.min(...micros),
  };
}

const msToNextUtcDay = (now: number): number => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
};

/** A lease to ask for: its amount and how long it may be drawn on. */
export interface LeasePlan {
  readonly size: ReservationAmount;
  readonly usableMs: number;
}

/**
 * Sizes a lease by time and rate: it lives long enough for LEASE_TARGET_DRAWS requests at the observed gap between
 * requests (at least LEASE_MIN_MS, at most `maxMs` and the end of the UTC day its reservation counts in) and holds the
 * draws expected in that time, bounded by LEASE_SHARE_OF_LEFT of what the scopes had left. Before any gap is known,
 * `firstRequests` requests' worth for LEASE_MIN_MS. A scope's first reservation (`seen` undefined) is the request's own.
 */
export function planLease(
  amount: ReservationAmount,
  seen: readonly ScopeStanding[] | undefined,
  gapMs: number | undefined,
  firstRequests: number,
  now: number,
  maxMs: number,
): LeasePlan {
  const dayLeft = msToNextUtcDay(now);
  const minMs = Math.min(LEASE_MIN_MS, maxMs);
  if (seen === undefined) return { size: amount, usableMs: Math.min(minMs, dayLeft) };
  let lifeMs = minMs;
  let draws = firstRequests;
  if (gapMs !== undefined) {
    const gap = Math.max(1, gapMs);
    lifeMs = Math.min(maxMs, Math.max(minMs, LEASE_TARGET_DRAWS * gap));
    draws = Math.min(MAX_DRAWS, Math.max(1, Math.ceil(lifeMs / gap)));
  }
  const usableMs = Math.min(maxMs, dayLeft, Math.max(lifeMs, Math.round(lifeMs * TIME_SLACK)));
  const left = leftOf(seen);
  const bounded = (own: number, leftNow: number | undefined): number => {
    const most = own * draws;
    return leftNow === undefined ? most : Math.max(own, Math.min(most, Math.floor(leftNow * LEASE_SHARE_OF_LEFT)));
  };
  return {
    size: { tokens: bounded(amount.tokens, left.tokens), micros: bounded(amount.micros, left.micros) },
    usableMs,
  };
}
