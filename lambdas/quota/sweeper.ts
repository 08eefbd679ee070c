import type { KeyStore } from '../keys/key-store.js';
import { allSubItemPks } from './quota-items.js';
import { keyQuotaPk, tenantQuotaPk } from './quota-scopes.js';
import type { QuotaStore } from './quota-store.js';

export interface SweepResult {
  /** Quota items read. */
  readonly items: number;
  /** Expired buckets released (reservations a crashed instance never settled). */
  readonly released: number;
}

const PARALLEL = 8;

/** The UTC months whose items may hold open reservations at `now`: this one, and the last one near its start. */
function monthsToSweep(now: number): string[] {
  const date = new Date(now);
  const current = date.toISOString().slice(0, 7);
  const previous = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  // A reservation expires at most one request deadline (≤ 15 min) plus its grace (≤ 1 h) after it was made.
  return now - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) < 86_400_000 ? [current, previous] : [current];
}

/**
 * Releases the reservations whose expiry has passed in every quota item that can hold one: the items of every tenant
 * and key (enumerated through the key listing, no Scan; a tenant's sub-items too), for this month (and the last, on the first day of a month).
 * Each bucket is released once however many sweepers run (quota-store.ts `releaseBucket`). Requests also release
 * expired buckets they meet, so this only matters for scopes that went quiet after a crash.
 */
export async function sweepReservations(keys: KeyStore, quotas: QuotaStore, now: number): Promise<SweepResult> {
  const records = await keys.list();
  // A tenant's quota may spread over sub-items (quota-items.ts; a key's never does): each is swept.
  const tenants = [...new Set(records.map((r) => r.tenant))].flatMap((tenant) => allSubItemPks(tenantQuotaPk(tenant)));
  const pks = [...new Set([...tenants, ...records.map((r) => keyQuotaPk(r.id))])];
  const work = monthsToSweep(now).flatMap((month) => pks.map((pk) => ({ pk, month })));
  let released = 0;
  for (let i = 0; i < work.length; i += PARALLEL) {
    const counts = await Promise.all(
      work.slice(i, i + PARALLEL).map(({ pk, month }) => quotas.releaseExpired(pk, month)),
    );
    released += counts.reduce((a, b) => a + b, 0);
  }
  return { items: work.length, released };
}
