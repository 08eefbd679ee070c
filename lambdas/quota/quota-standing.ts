import type { QuotaScope } from './quota-scopes.js';
import type { ReservationAmount } from './reservation-amount.js';

/** One scope's standing after a reservation: what its limits leave (negative: none left). */
export interface ScopeStanding {
  readonly scope: QuotaScope;
  readonly tokensLeftDay?: number;
  readonly tokensLeftMonth?: number;
  readonly microsLeftMonth?: number;
  /**
   * Sub-items the scope spreads over (quota-items.ts; absent: 1). The figures above are then the one sub-item's left
   * times their number (the scope's left if the others stand alike); a lease fits in one sub-item: lease-plan.ts divides.
   */
  readonly shares?: number;
}

/** Which limit refused a reservation. */
export interface QuotaRefusal {
  readonly scope: QuotaScope;
  readonly limit: 'tokensPerDay' | 'tokensPerMonth' | 'usdPerMonth';
  readonly standing: ScopeStanding;
}

const USD_MICROS = 1_000_000;
export const microsOf = (usd: number): number => Math.round(usd * USD_MICROS);

/** One sub-item's share of a scope's limits (all of them when the scope has one item). */
export interface Shares {
  readonly tokensPerDay: number | undefined;
  readonly tokensPerMonth: number | undefined;
  readonly micros: number | undefined;
  readonly count: number;
}

export function sharesOf(scope: QuotaScope, count: number): Shares {
  const { tokensPerDay, tokensPerMonth, usdPerMonth } = scope.limits;
  const share = (limit: number | undefined): number | undefined =>
    limit === undefined ? undefined : Math.floor(limit / count);
  return {
    tokensPerDay: share(tokensPerDay),
    tokensPerMonth: share(tokensPerMonth),
    micros: share(usdPerMonth === undefined ? undefined : microsOf(usdPerMonth)),
    count,
  };
}

/** What a sub-item has used of a period's limits. */
export interface Used {
  readonly day: number;
  readonly month: number;
  readonly micros: number;
}

export function standingOf(scope: QuotaScope, shares: Shares, used: Used): ScopeStanding {
  const left = (share: number | undefined, usedNow: number): number | undefined =>
    share === undefined ? undefined : (share - usedNow) * shares.count;
  const day = left(shares.tokensPerDay, used.day);
  const month = left(shares.tokensPerMonth, used.month);
  const micros = left(shares.micros, used.micros);
  return {
    scope,
    ...(day === undefined ? {} : { tokensLeftDay: day }),
    ...(month === undefined ? {} : { tokensLeftMonth: month }),
    ...(micros === undefined ? {} : { microsLeftMonth: micros }),
    ...(shares.count === 1 ? {} : { shares: shares.count }),
  };
}

/** Which limit the amount does not fit under (the first, in this order); undefined when it fits. */
export function refusedLimit(shares: Shares, used: Used, amount: ReservationAmount): QuotaRefusal['limit'] | undefined {
  if (shares.micros !== undefined && used.micros + amount.micros > shares.micros) return 'usdPerMonth';
  if (shares.tokensPerMonth !== undefined && used.month + amount.tokens > shares.tokensPerMonth)
    return 'tokensPerMonth';
  if (shares.tokensPerDay !== undefined && used.day + amount.tokens > shares.tokensPerDay) return 'tokensPerDay';
  return undefined;
}

/** The tightest limit a scope has (named when room appeared between a refusal and the read after it). */
export const tightestLimit = (scope: QuotaScope): QuotaRefusal['limit'] =>
  scope.limits.tokensPerDay !== undefined
    ? 'tokensPerDay'
    : scope.limits.tokensPerMonth !== undefined
      ? 'tokensPerMonth'
      : 'usdPerMonth';
