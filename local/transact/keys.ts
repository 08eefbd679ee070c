import type { DynaliteEngine } from '../engine/dynalite-engine.js';
import type { WireItem } from './attribute-values.js';
import { validationError } from './errors.js';
import type { TransactOp } from './transact-request.js';

/** A transaction item with its table's primary key resolved (a Put names its key only inside its Item). */
export interface KeyedOp {
  readonly op: TransactOp;
  /** The item's primary key (wire form), its attributes in key-schema order. */
  readonly key: WireItem;
  /** JSON of [table, key]: equal for equal keys (the attributes in key-schema order), e.g. to find an item's op. */
  readonly identity: string;
}

/** Key attribute names per table, from DescribeTable (tables do not change key schema, so the cache never expires). */
export class KeySchemas {
  private readonly cache = new Map<string, readonly string[]>();

  constructor(private readonly engine: DynaliteEngine) {}

  async names(table: string): Promise<readonly string[]> {
    const cached = this.cache.get(table);
    if (cached) return cached;
    const out = await this.engine.call('DescribeTable', { TableName: table });
    const schema = (out.Table as { KeySchema?: { AttributeName?: string }[] } | undefined)?.KeySchema ?? [];
    const names = schema.flatMap((k) => (k.AttributeName ? [k.AttributeName] : []));
    this.cache.set(table, names);
    return names;
  }

  /** Forgets a table (after ResourceNotFound, so a recreated table is described afresh). */
  forget(table: string): void {
    this.cache.delete(table);
  }
}

function pickKey(item: WireItem, names: readonly string[], table: string): WireItem {
  const key: WireItem = {};
  for (const name of names) {
    const value = item[name];
    if (value === undefined)
      throw validationError(`One of the required keys was not given a value (table ${table}, key ${name})`);
    key[name] = value;
  }
  return key;
}

/** A key's identity (KeyedOp.identity): its attributes must be in key-schema order. */
export const keyIdentity = (table: string, key: WireItem): string => JSON.stringify([table, key]);

/**
 * Resolves every item's key and rejects two items on one key, as DynamoDB does. A Key with attributes outside the
 * key schema is left for dynalite to reject on the operation itself.
 */
export async function resolveKeys(ops: readonly TransactOp[], schemas: KeySchemas): Promise<KeyedOp[]> {
  const seen = new Set<string>();
  const keyed: KeyedOp[] = [];
  for (const op of ops) {
    const names = await schemas.names(op.table);
    const key = pickKey(op.kind === 'Put' ? op.item : op.key, names, op.table);
    // pickKey adds the attributes in key-schema order, so equal keys stringify equally.
    const identity = keyIdentity(op.table, key);
    if (seen.has(identity)) throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(identity);
    keyed.push({ op, key, identity });
  }
  return keyed;
}
