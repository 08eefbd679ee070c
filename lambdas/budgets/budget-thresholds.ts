import type { ScopeLimits } from '../config/quotas-schema.js';
import type { QuotaScope } from '../quota/quota-scopes.js';
import type { Reservation, ScopeStanding } from '../quota/quota-store.js';

/** The limit a warning is about, named as the plan's quotas name it. */
export type BudgetDimension = 'tokensPerDay' | 'tokensPerMonth' | 'usdPerMonth';

/** One threshold a scope's usage has reached in one dimension and period. */
export interface ThresholdCrossing {
  readonly scope: QuotaScope;
  readonly dimension: BudgetDimension;
  /** `YYYY-MM-DD` for a daily limit, `YYYY-MM` for a monthly one (UTC). */
  readonly period: string;
  readonly threshold: number;
  /** Tokens, or USD for `usdPerMonth`: the usage and reservations counted so far (may pass the limit). */
  readonly used: number;
  readonly limit: number;
}

const USD_MICROS = 1_000_000;

/** What a standing says of one dimension: the limit and what is left of it (USD in micro-dollars). */
const DIMENSIONS: readonly {
  readonly dimension: BudgetDimension;
  readonly left: (standing: ScopeStanding) => number | undefined;
  readonly limit: (limits: ScopeLimits) => number | undefined;
  readonly unit: number;
  readonly daily: boolean;
}[] = [
  { dimension: 'tokensPerDay', left: (s) => s.tokensLeftDay, limit: (l) => l.tokensPerDay, unit: 1, daily: true },
  {
    dimension: 'tokensPerMonth',
    left: (s) => s.tokensLeftMonth,
    limit: (l) => l.tokensPerMonth,
    unit: 1,
    daily: false,
  },
  {
    dimension: 'usdPerMonth',
    left: (s) => s.microsLeftMonth,
    limit: (l) => (l.usdPerMonth === undefined ? undefined : Math.round(l.usdPerMonth * USD_MICROS)),
    unit: USD_MICROS,
    daily: false,
  },
];

/**
 * The thresholds (fractions of a limit, `quotas.warnAt`) that the scopes' usage has reached after a reservation,
 * every one of them: a request that jumps from 50% to 100% reaches both 80% and 100%.
 */
export function thresholdCrossings(reservation: Reservation, warnAt: readonly number[]): ThresholdCrossing[] {
  if (warnAt.length === 0) return [];
  const { month, day } = reservation.period;
  const crossings: ThresholdCrossing[] = [];
  for (const standing of reservation.standings) {
    const { scope } = standing;
    for (const { dimension, left, limit, unit, daily } of DIMENSIONS) {
      const max = limit(scope.limits);
      const rest = left(standing);
      if (max === undefined || rest === undefined) continue;
      const used = max - rest;
      for (const threshold of warnAt) {
        if (used < threshold * max) continue;
        crossings.push({
          scope,
          dimension,
          period: daily ? `${month}-${day}` : month,
          threshold,
          used: used / unit,
          limit: max / unit,
        });
      }
    }
  }
  return crossings;
}

/** Seconds since the epoch when a period's warnings may go (TTL): a day after the period ends. */
export function warningExpiry(period: string): number {
  const [year = 1970, month = 1, day] = period.split('-').map(Number);
  const end = day === undefined ? Date.UTC(year, month, 1) : Date.UTC(year, month - 1, day + 1);
  return Math.floor(end / 1000) + 86_400;
}
