import { LEASE_MAX_MS, Pace, planLease } from './lease-plan.js';
import type { QuotaPeriod } from './quota-periods.js';
import type { QuotaScope } from './quota-scopes.js';
import { QuotaExceeded, type QuotaStore, type Reservation, type ScopeStanding } from './quota-store.js';
import type { ReservationAmount } from './reservation-amount.js';

export { LEASE_MAX_MS, LEASE_MIN_MS, LEASE_SHARE_OF_LEFT, LEASE_TARGET_DRAWS } from './lease-plan.js';

interface Lease {
  readonly scopes: readonly QuotaScope[];
  /** The (sub-)items it is held in, per scope. */
  readonly pks: readonly string[];
  readonly period: QuotaPeriod;
  /** When its bucket may be released as expired. */
  readonly expiresAt: number;
  readonly usableUntil: number;
  readonly standings: readonly ScopeStanding[];
  /** Granted for more than the request that asked for it. */
  readonly shared: boolean;
  left: ReservationAmount;
}

const fits = (need: ReservationAmount, left: ReservationAmount): boolean =>
  need.tokens <= left.tokens && need.micros <= left.micros;
const minus = (a: ReservationAmount, b: ReservationAmount): ReservationAmount => ({
  tokens: a.tokens - b.tokens,
  micros: a.micros - b.micros,
});

/**
 * Reservations amortised: an instance reserves a LEASE — many requests' worth, in one conditional UpdateItem per
 * scope, exactly like a single reservation (quota-store.ts) — and its next requests draw on it in memory, with no
 * store call. A draw is a reservation like any other: its request's record names it (`qLease`), and the ledger's
 * aggregator moves it out of the lease's bucket and counts the actual usage (quota-settle.ts). When the lease is used
 * up, or its time is over, or it cannot cover a request, its undrawn rest is given back (one UpdateItem per scope;
 * none when it was used up). A crashed instance's lease expires like any reservation (its time, plus the request
 * lifetime) and the sweeper releases what its bucket still holds; its requests' records are durable, and their
 * aggregation then counts their whole actual.
 *
 * Sized by time and rate (lease-plan.ts): a lease lives for LEASE_TARGET_DRAWS requests at the observed gap between
 * requests (30 s to `maxLeaseMs`, within the UTC day) and holds the draws expected in that time, so in steady state a
 * reservation costs ~1/64 store call or less, at any upstream time.
 *
 * The trade: while an instance holds a lease, other instances cannot use its undrawn rest, so near a limit a request
 * can be refused while another instance holds room. Leases are therefore at most LEASE_SHARE_OF_LEFT of what the
 * scopes had left, the first reservation of a scope is never a lease, and a refused lease is retried as the request's
 * own reservation. Limits hold as before: every lease passed the same conditional write.
 */
export class QuotaLeases {
  private readonly leases = new Map<string, Lease>();
  /** What the scopes had left at their last reservation, per lease key (sizes the next lease). */
  private readonly lastSeen = new Map<string, readonly ScopeStanding[]>();
  private readonly acquiring = new Map<string, Promise<unknown>>();
  private readonly paces = new Map<string, Pace>();
  /** This holder's place among a sharded scope's sub-items (quota-items.ts): holders spread over them. */
  private readonly spread = Math.floor(Math.random() * 2 ** 31);

  constructor(
    private readonly store: QuotaStore,
    private readonly now: () => number = Date.now,
    private readonly maxLeaseMs: number = LEASE_MAX_MS,
  ) {}

  /** Reserves `amount` for one request: from this instance's lease when it covers it, else through a new lease. */
  async reserve(
    scopes: readonly QuotaScope[],
    amount: ReservationAmount,
    lifetimeMs: number,
    leaseRequests: number,
    maxLeaseMs: number = this.maxLeaseMs,
  ): Promise<{ reservation: Reservation; cleanup: Promise<void> }> {
    if (leaseRequests <= 1) return this.store.reserve(scopes, amount, this.now() + lifetimeMs, this.spread);
    const key = scopes.map((scope) => scope.pk).join('|');
    let pace = this.paces.get(key);
    if (pace === undefined) this.paces.set(key, (pace = new Pace()));
    pace.observe(this.now());
    for (;;) {
      const drawn = this.draw(key, amount, lifetimeMs);
      if (drawn !== undefined) return { reservation: drawn, cleanup: Promise.resolve() };
      const pending = this.acquiring.get(key);
      if (pending === undefined) break;
      // Another request is getting the next lease: wait for it, then draw (or get one of our own).
      await pending.catch(() => undefined);
    }
    const acquired = this.acquire(key, scopes, amount, lifetimeMs, { leaseRequests, maxLeaseMs, gapMs: pace.gapMs });
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
    return { amount, period: lease.period, scopes: lease.scopes, pks: lease.pks, standings, lease: true };
  }

  private async acquire(
    key: string,
    scopes: readonly QuotaScope[],
    amount: ReservationAmount,
    lifetimeMs: number,
    sizing: { leaseRequests: number; maxLeaseMs: number; gapMs: number | undefined },
  ): Promise<{ reservation: Reservation; cleanup: Promise<void> }> {
    await this.retire(key);
    const now = this.now();
    const seen = this.lastSeen.get(key);
    const plan = planLease(amount, seen, sizing.gapMs, sizing.leaseRequests, now, sizing.maxLeaseMs);
    const expiresAt = now + plan.usableMs + lifetimeMs;
    let got: Awaited<ReturnType<QuotaStore['reserve']>>;
    let granted = plan.size;
    try {
      got = await this.store.reserve(scopes, granted, expiresAt, this.spread);
    } catch (err) {
      if (err instanceof QuotaExceeded) this.lastSeen.set(key, [err.refusal.standing]);
      if (granted.tokens === amount.tokens && granted.micros === amount.micros) throw err;
      granted = amount;
      try {
        got = await this.store.reserve(scopes, amount, expiresAt, this.spread);
      } catch (again) {
        if (again instanceof QuotaExceeded) this.lastSeen.set(key, [again.refusal.standing]);
        throw again;
      }
    }
    const { reservation, cleanup } = got;
    this.lastSeen.set(key, reservation.standings);
    const shared = granted !== amount;
    const lease: Lease = {
      scopes,
      pks: reservation.pks,
      period: reservation.period,
      expiresAt,
      usableUntil: now + plan.usableMs,
      standings: reservation.standings,
      shared,
      left: granted,
    };
    this.leases.set(key, lease);
    const timer = setTimeout(() => void this.retire(key, lease), plan.usableMs);
    timer.unref();
    const drawn = this.draw(key, amount, lifetimeMs);
    if (drawn === undefined) throw new Error('a fresh lease did not cover the request it was sized for');
    // A reservation granted for this request alone is its own, not a draw on a lease.
    return { reservation: shared ? drawn : { ...drawn, lease: false }, cleanup };
  }

  /** Gives a lease's undrawn rest back (the current one, or `only` that one if it is still current). */
  private async retire(key: string, only?: Lease): Promise<void> {
    const lease = this.leases.get(key);
    if (lease === undefined || (only !== undefined && lease !== only)) return;
    this.leases.delete(key);
    const rest = lease.left;
    lease.left = { tokens: 0, micros: 0 };
    // A failure only leaves the rest reserved until the lease expires and the sweeper releases it.
    await this.store
      .giveBack(
        lease.pks.map((pk) => ({ pk })),
        rest,
        lease.period,
      )
      .catch(() => undefined);
  }
}
