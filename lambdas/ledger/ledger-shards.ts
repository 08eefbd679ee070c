/**
 * What one tenant writes, spread so that a hot tenant (5,000 requests/s) keeps every partition key value under
 * DynamoDB's ~1,000 write units a second and no two stream shards' aggregators write the same item:
 * - a request record's gsi1 copy goes to one of LEDGER_GSI_SHARDS partitions of its tenant and day,
 *   `LEDGER#<tenant>#<day>#<n>` (n from its id's hash); records written before the shards (`LEDGER#<tenant>#<day>`)
 *   are read too (ledgerGsiKeys);
 * - the aggregator of a stream shard adds to its own counter items (`…#KEY#<keyId>#SHARD#<shard id>`); readers sum
 *   them with the unsharded item (counters written before, and the storage notes') by counterBaseSk.
 */
export const LEDGER_GSI_SHARDS = 16;

const SHARD_MARK = '#SHARD#';

/** FNV-1a, 32 bits: a stable, fast spread of ids over shards (not a security hash). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The gsi1 partition of a tenant's record of `day`: one of `shards` (1: the key before sharding). */
export const ledgerGsiKey = (tenant: string, day: string, id: string, shards = LEDGER_GSI_SHARDS): string =>
  shards <= 1 ? `LEDGER#${tenant}#${day}` : `LEDGER#${tenant}#${day}#${fnv1a(id) % shards}`;

/** Every gsi1 partition a tenant's records of `day` may be in: the unsharded key, then each shard. */
export const ledgerGsiKeys = (tenant: string, day: string, shards = LEDGER_GSI_SHARDS): string[] => [
  `LEDGER#${tenant}#${day}`,
  ...Array.from({ length: shards <= 1 ? 0 : shards }, (_, n) => `LEDGER#${tenant}#${day}#${n}`),
];

/** A counter item's sort key for the aggregator of `shard` (none: the unsharded item). */
export const shardedCounterSk = (sk: string, shard: string | undefined): string =>
  shard === undefined ? sk : `${sk}${SHARD_MARK}${shard}`;

/** The counter a sort key belongs to, whichever shard wrote it. */
export const counterBaseSk = (sk: string): string => {
  const at = sk.indexOf(SHARD_MARK);
  return at < 0 ? sk : sk.slice(0, at);
};
