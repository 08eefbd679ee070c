import type { QuotaPeriod } from './quota-periods.js';
import type { QuotaScope } from './quota-scopes.js';
import { QuotaExceeded, type QuotaStore, type Reservation, type ScopeStanding } from './quota-store.js';
import type { ReservationAmount } from './reservation-amount.js';

/** How long an instance draws on one lease before it gives the rest back. */
export const LEASE_MS = 5_000;
/** A lease holds at most `leaseRequests` (config) reservations like the one that asked for it, and at most this share of what its scopes had left when last seen, so leases stay small near a limit. */
export const LEASE_SHARE_OF_LEFT = 1 / 8;

interface Lease {
  readonly scopes: readonly QuotaScope[];
  readonly period: QuotaPeriod;
  /** When its bucket may be released as expired. */
  readonly expiresAt: number;
  readonly usableUntil: number;
  readonly standings: readonly ScopeStanding[];
  readonly acquiredAt: number;
  readonly granted: ReservationAmount;
  /** Granted for more than the request that asked for it. */
  readonly shared: boolean;
  left: ReservationAmount;
}

/** A lease's size grows (×2) while leases run out in under half their time, and shrinks (÷2) when half goes unused. */
const MAX_SCALE = 256;

const fits = (need: ReservationAmount, left: ReservationAmount): boolean =>
  need.tokens <= left.tokens && need.micros <= left.micros;
const minus = (a: ReservationAmount, b: ReservationAmount): ReservationAmount => ({
  tokens: a.tokens - b.tokens,
  micros: a.micros - b.micros,
});

/** The least a lease's scopes had left (per dimension), when a standing says. */
function leftOf(standings: readonly ScopeStanding[]): { tokens: number | undefined; micros: number | undefined } {
  const tokens = standings
    .flatMap((s) => [s.tokensLeftDay, s.tokensLeftMonth])
    .filter((v): v is number => v !== undefined);
  const micros = standings.map((s) => s.microsLeftMonth).filter((v): v is number => v !== undefined);
  return {
    tokens: tokens.length === 0 ? undefined : Math.min(...tokens),
    micros: micros.length === 0 ? undefined : Math.min(...micros),
  };
}

/**
 * Reservations amortised: an instance reserves a LEASE — several requests' worth, in one conditional UpdateItem per
 * scope, exactly like a single reservation (quota-store.ts) — and its next requests draw on it in memory. A draw is a
 * reservation like any other: its request settles against the lease's bucket (quota-settle.ts); when the lease has
 * been used for LEASE_MS, or cannot cover a request, its unused rest is given back. A crashed instance's lease expires
 * like any reservation (its deadline plus grace) and the sweeper releases it.
 *
 * A lease starts at `leaseRequests` requests' worth and doubles while leases run out in under half of LEASE_MS (up to
 * ×256), halving again when half of one goes unused: under load an instance reserves about once per LEASE_MS.
 *
 * The trade: while an instance holds a lease, other instances cannot use its unused rest, so near a limit a request
 * can be refused while another instance holds room. Leases are therefore sized from what the scopes had left (at most
 * LEASE_SHARE_OF_LEFT of it), the first reservation of a scope is never a lease, and a refused lease is retried as
 * the request's own reservation. Limits hold exactly as before: every lease passed the same conditional write.
 */
export class QuotaLeases {
  private readonly leases = new Map<string, Lease>();
  /** What the scopes had left at their last reservation, per lease key (sizes the next lease). */
  private readonly lastSeen = new Map<string, readonly ScopeStanding[]>();
  private readonly acquiring = new Map<string, Promise<unknown>>();
  /** Per lease key: how many times `leaseRequests` the next lease holds. */
  private readonly scales = new Map<string, number>();

  constructor(
    private readonly store: QuotaStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reserves `amount` for one request: from this instance's lease when it covers it, else through a new lease. */
  async reserve(
    scopes: readonly QuotaScope[],
    amount: ReservationAmount,
    lifetimeMs: number,
    leaseRequests: number,
  ): Promise<{ reservation: Reservation; cleanup: Promise<void> }> {
    if (leaseRequests <= 1) return this.store.reserve(scopes, amount, this.now() + lifetimeMs);
    const key = scopes.map((scope) => scope.pk).join('|');
    for (;;) {
      const drawn = this.draw(key, amount, lifetimeMs);
      if (drawn !== undefined) return { reservation: drawn, cleanup: Promise.resolve() };
      const pending = this.acquiring.get(key);
      if (pending === undefined) break;
      // Another request is getting the next lease: wait for it, then draw (or get one of our own).
      await pending.catch(() => undefined);
    }
    const acquired = this.acquire(key, scopes, amount, lifetimeMs, leaseRequests);
    this.acquiring.set(key, acquired);
    try {
      return await acquired;
    } finally {
      this.acquiring.delete(key);
    }
  }

  private draw(key: string, amount: ReservationAmount, lifetimeMs: number): Reservation | undefined {
    const lease = this.leases.get(key);
    if (lease === undefined) return undefined;
    const now = this.now();
    const sameDay = new Date(now).toISOString().slice(0, 10) === `${lease.period.month}-${lease.period.day}`;
    if (!sameDay || now >= lease.usableUntil || now + lifetimeMs > lease.expiresAt || !fits(amount, lease.left))
      return undefined;
    lease.left = minus(lease.left, amount);
    // What is left for everyone: the scopes' standing at the lease, plus this lease's unused rest.
    const standings = lease.standings.map((s) => ({
      scope: s.scope,
      ...(s.tokensLeftDay === undefined ? {} : { tokensLeftDay: s.tokensLeftDay + lease.left.tokens }),
      ...(s.tokensLeftMonth === undefined ? {} : { tokensLeftMonth: s.tokensLeftMonth + lease.left.tokens }),
      ...(s.microsLeftMonth === undefined ? {} : { microsLeftMonth: s.microsLeftMonth + lease.left.micros }),
    }));
    return { amount, period: lease.period, scopes: lease.scopes, standings };
  }

  private async acquire(
    key: string,
    scopes: readonly QuotaScope[],
    amount: ReservationAmount,
    lifetimeMs: number,
    leaseRequests: number,
  ): Promise<{ reservation: Reservation; cleanup: Promise<void> }> {
    this.adapt(key);
    await this.retire(key);
    const size = this.leaseSize(key, amount, leaseRequests * (this.scales.get(key) ?? 1));
    const now = this.now();
    const expiresAt = now + LEASE_MS + lifetimeMs;
    let got: Awaited<ReturnType<QuotaStore['reserve']>>;
    let granted = size;
    try {
      got = await this.store.reserve(scopes, size, expiresAt);
    } catch (err) {
      if (err instanceof QuotaExceeded) this.lastSeen.set(key, [err.refusal.standing]);
      if (size.tokens === amount.tokens && size.micros === amount.micros) throw err;
      granted = amount;
      try {
        got = await this.store.reserve(scopes, amount, expiresAt);
      } catch (again) {
        if (again instanceof QuotaExceeded) this.lastSeen.set(key, [again.refusal.standing]);
        throw again;
      }
    }
    const { reservation, cleanup } = got;
    this.lastSeen.set(key, reservation.standings);
    const lease: Lease = {
      scopes,
      period: reservation.period,
      expiresAt,
      usableUntil: now + LEASE_MS,
      standings: reservation.standings,
      acquiredAt: now,
      granted,
      shared: granted !== amount,
      left: granted,
    };
    this.leases.set(key, lease);
    const timer = setTimeout(() => void this.retire(key, lease), LEASE_MS);
    timer.unref();
    const drawn = this.draw(key, amount, lifetimeMs);
    if (drawn === undefined) throw new Error('a fresh lease did not cover the request it was sized for');
    return { reservation: drawn, cleanup };
  }

  /** Sizes the next lease from how the current one went: used up fast → twice as large; half unused → half. */
  private adapt(key: string): void {
    const lease = this.leases.get(key);
    // Only real leases say something about the rate (a scope's first reservation, or a fallback, is a request's own).
    if (lease === undefined || !lease.shared) return;
    const scale = this.scales.get(key) ?? 1;
    const usedUpEarly = this.now() - lease.acquiredAt < LEASE_MS / 2;
    if (usedUpEarly) this.scales.set(key, Math.min(MAX_SCALE, scale * 2));
    else if (this.now() >= lease.usableUntil && lease.left.tokens * 2 > lease.granted.tokens)
      this.scales.set(key, Math.max(1, scale / 2));
  }

  /** Several requests' worth, bounded by a share of what the scopes had left; the first time, the request's own. */
  private leaseSize(key: string, amount: ReservationAmount, leaseRequests: number): ReservationAmount {
    const seen = this.lastSeen.get(key);
    if (seen === undefined) return amount;
    const left = leftOf(seen);
    const bounded = (own: number, leftNow: number | undefined): number => {
      const most = own * leaseRequests;
      return leftNow === undefined ? most : Math.max(own, Math.min(most, Math.floor(leftNow * LEASE_SHARE_OF_LEFT)));
    };
    return { tokens: bounded(amount.tokens, left.tokens), micros: bounded(amount.micros, left.micros) };
  }

  /** Gives a lease's unused rest back (the current one, or `only` that one if it is still current). */
  private async retire(key: string, only?: Lease): Promise<void> {
    const lease = this.leases.get(key);
    if (lease === undefined || (only !== undefined && lease !== only)) return;
    this.leases.delete(key);
    const rest = lease.left;
    lease.left = { tokens: 0, micros: 0 };
    // A failure only leaves the rest reserved until the lease expires and the sweeper releases it.
    await this.store.giveBack(lease.scopes, rest, lease.period).catch(() => undefined);
  }
}
