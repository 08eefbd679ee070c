import { bucketDay } from '../quota/quota-periods.js';
import type { RecordedSettle } from '../quota/quota-settle.js';
import { readNumber, readString, readStrings, requireString, type Item } from '../store/attributes.js';
import type { LedgerEntry } from './ledger-entry.js';

/** One inserted item as a stream delivers it: its sequence number (in order within a shard) and its new image. */
export interface StreamInsert {
  readonly seq: string;
  readonly image: Item;
}

/** A request record (`REQ#<id>` / `REQ`), the only items the aggregator counts (not the `STORED` notes beside them). */
export const isRequestRecord = (image: Item): boolean =>
  image.sk?.S === 'REQ' && (image.pk?.S ?? '').startsWith('REQ#');

/** Sequence numbers as fixed-width text, so the marker's `<` compares them as numbers (up to 48 digits). */
export const SEQ_WIDTH = 48;
export const seqKey = (seq: string): string => seq.padStart(SEQ_WIDTH, '0');

const bool = (item: Item, name: string): boolean => item[name]?.BOOL === true;

/** The ledger entry a record holds (what its counters need; ledger-items.ts `recordItem` wrote it). */
export function entryOfRecord(image: Item): LedgerEntry {
  const inputTokens = readNumber(image, 'inputTokens');
  const cache = readString(image, 'cache');
  const savedMicros = readNumber(image, 'savedMicros');
  return {
    id: requireString(image, 'pk').slice('REQ#'.length),
    requestId: readString(image, 'requestId') ?? '',
    tenant: requireString(image, 'tenant'),
    keyId: requireString(image, 'keyId'),
    plan: readString(image, 'plan') ?? '',
    alias: requireString(image, 'alias'),
    provider: readString(image, 'provider'),
    model: readString(image, 'model'),
    status: readNumber(image, 'status') ?? 0,
    stream: bool(image, 'stream'),
    usage:
      inputTokens === undefined
        ? undefined
        : {
            inputTokens,
            outputTokens: readNumber(image, 'outputTokens') ?? 0,
            cachedInputTokens: readNumber(image, 'cachedTokens') ?? 0,
            cacheWriteTokens: readNumber(image, 'cacheWriteTokens') ?? 0,
          },
    estimated: bool(image, 'estimated'),
    costMicros: readNumber(image, 'costMicros'),
    attempts: readNumber(image, 'attempts') ?? 0,
    ...(cache === 'hit' || cache === 'miss' || cache === 'bypass' ? { cache } : {}),
    ...(savedMicros === undefined ? {} : { savedMicros }),
    createdAt: requireString(image, 'createdAt'),
  };
}

/** The quota reservation a record names, to settle; undefined when its request had none. */
export function settleOfRecord(image: Item): RecordedSettle | undefined {
  const pks = readStrings(image, 'qScopes');
  const month = readString(image, 'qMonth');
  const bucket = readString(image, 'qBucket');
  if (pks === undefined || month === undefined || bucket === undefined) return undefined;
  const num = (name: string): number => readNumber(image, name) ?? 0;
  return {
    pks,
    period: { month, day: bucketDay(bucket), bucket },
    amount: { tokens: num('qTokens'), micros: num('qMicros') },
    actual: { tokens: num('qUsedTokens'), micros: num('qUsedMicros') },
    lease: bool(image, 'qLease'),
  };
}
