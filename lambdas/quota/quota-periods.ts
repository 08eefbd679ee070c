/**
 * Where a reservation counts: the UTC month and day of the request, and the bucket of reservations that expire in
 * the same 10-second tick. Quota items are per scope and month; day totals are attributes of the month item
 * (d01..d31), and each bucket is a pair of attributes (tokens, micro-dollars) named after its day and its expiry tick,
 * so one conditional UpdateItem reserves against the day, the month and the budget at once. With the default 120 s
 * deadline and 60 s grace, an item holds at most ~18 open buckets (~1 KB).
 */
export interface QuotaPeriod {
  /** YYYY-MM */
  readonly month: string;
  /** DD */
  readonly day: string;
  /** `<DD>_<expiry tick: 10-second periods since the epoch, rounded up>` */
  readonly bucket: string;
}

/** The length of a bucket's expiry tick. */
export const TICK_MS = 10_000;

export const periodOf = (now: number, expiresAt: number): QuotaPeriod => {
  const iso = new Date(now).toISOString();
  const day = iso.slice(8, 10);
  return { month: iso.slice(0, 7), day, bucket: `${day}_${Math.ceil(expiresAt / TICK_MS)}` };
};

/** Attribute names of a quota item. */
export const QUOTA_ATTR = {
  tokens: 'tokens',
  micros: 'micros',
  expiresAt: 'expiresAt',
  /** Buckets released so far (quota-store.ts `releaseBucket`): a reservation conditions on the count it read. */
  releases: 'releases',
} as const;
export const dayAttr = (day: string): string => `d${day}`;
export const bucketTokensAttr = (bucket: string): string => `rt${bucket}`;
export const bucketMicrosAttr = (bucket: string): string => `rc${bucket}`;

const BUCKET = /^rt(\d\d)_(\d+)$/;

/** The buckets an item holds whose expiry tick has passed at `now` (their reservations were never settled). */
export function expiredBuckets(attributeNames: Iterable<string>, now: number): string[] {
  const expired: string[] = [];
  for (const name of attributeNames) {
    const match = BUCKET.exec(name);
    if (match !== null && Number(match[2]) * TICK_MS < now) expired.push(`${match[1]}_${match[2]}`);
  }
  return expired;
}

/** Every bucket an item holds (open reservations on a quota item; draws settled, on a settle item). */
export function bucketsOf(attributeNames: Iterable<string>): string[] {
  const buckets: string[] = [];
  for (const name of attributeNames) {
    const match = BUCKET.exec(name);
    if (match !== null) buckets.push(`${match[1]}_${match[2]}`);
  }
  return buckets;
}

/** When a bucket's reservations expire (the end of its tick). */
export const bucketExpiry = (bucket: string): number => Number(bucket.slice(3)) * TICK_MS;

/** The day a bucket's tokens count in. */
export const bucketDay = (bucket: string): string => bucket.slice(0, 2);

/** Quota items outlive their month by this long (TTL), then DynamoDB deletes them. */
export const QUOTA_ITEM_RETENTION_DAYS = 100;

export function itemExpiry(month: string): number {
  const [year, mon] = month.split('-').map(Number);
  return Math.floor(Date.UTC(year ?? 1970, mon ?? 1, 1) / 1000) + QUOTA_ITEM_RETENTION_DAYS * 86_400;
}

/** Seconds from `now` to the start of the next UTC day or month (the Retry-After of an exhausted quota). */
export function secondsUntilReset(now: number, period: 'day' | 'month'): number {
  const date = new Date(now);
  const next =
    period === 'day'
      ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
      : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - now) / 1000));
}
