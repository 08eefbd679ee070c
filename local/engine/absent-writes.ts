/**
 * Writes of items known to be absent, through dynalite's db layer: what its BatchWriteItem action does for each
 * PutRequest (actions/batchWriteItem.js → putItem.js), less putItem's read of the old item (and its per-key lock,
 * which only orders writes the caller's lock orders already). For the front's fresh puts (transact/fresh-puts.ts),
 * whose absence was read under the write lock just before: the old item is none, so the index entries to delete are
 * none and the condition holds. A LevelDB read per item fewer; the checks and errors are BatchWriteItem's.
 */

type Item = Record<string, unknown>;
type Done = (err?: Error | null) => void;

export interface TableShape {
  readonly TableName?: string;
}
export interface ItemDb {
  put(key: string, item: Item, cb: Done): void;
}
export interface AbsentWriteStore {
  getItemDb(table: string): ItemDb;
}
export interface AbsentWriteDb {
  validateItem(item: Item, table: TableShape): Error | null | undefined;
  createKey(item: Item, table: TableShape): string;
  updateIndexes(store: AbsentWriteStore, table: TableShape, existing: undefined, item: Item, cb: Done): void;
  validationError(message: string): Error;
}

const callback = (run: (cb: Done) => void): Promise<void> =>
  new Promise((resolve, reject) => run((err) => (err ? reject(err) : resolve())));

/** BatchWriteItem's wording for a key that does not fit the schema (its action rewrites putItem's). */
function keyMismatch(err: Error): Error {
  const body = (err as { body?: { message?: unknown } }).body;
  if (body !== undefined && /Missing the key|Type mismatch for key/.test(String(body.message)))
    body.message = 'The provided key element does not match the schema';
  return err;
}

/**
 * Checks every item against its table (key attributes, their types and sizes; keys distinct) before any write, as
 * the action does, then writes each item and its index entries. `tables`: each table's description, by name.
 */
export async function writeAbsent(
  store: AbsentWriteStore,
  db: AbsentWriteDb,
  tables: ReadonlyMap<string, TableShape>,
  items: ReadonlyMap<string, readonly Item[]>,
): Promise<void> {
  const writes: (() => Promise<void>)[] = [];
  for (const [name, tableItems] of items) {
    const table = tables.get(name);
    if (table === undefined) throw new Error(`no description of table ${name}`);
    const itemDb = store.getItemDb(name);
    const seen = new Set<string>();
    for (const item of tableItems) {
      const invalid = db.validateItem(item, table);
      if (invalid) throw keyMismatch(invalid);
      const key = db.createKey(item, table);
      if (seen.has(key)) throw db.validationError('Provided list of item keys contains duplicates');
      seen.add(key);
      writes.push(async () => {
        await callback((cb) => db.updateIndexes(store, table, undefined, item, cb));
        await callback((cb) => itemDb.put(key, item, cb));
      });
    }
  }
  await Promise.all(writes.map((write) => write()));
}
