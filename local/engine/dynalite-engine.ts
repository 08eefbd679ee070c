import { createRequire } from 'node:module';
import { writeAbsent, type AbsentWriteDb, type AbsentWriteStore, type TableShape } from './absent-writes.js';

/**
 * dynalite's engine in this process, without its HTTP server: the same validations (`validations/<op>.js`), actions
 * (`actions/<op>.js`) and LevelDB store (`db`) its server runs, called directly. The local store's HTTP front
 * (transact-front.ts) answers every DynamoDB call with it, and applies the items of a TransactWriteItems through it
 * without a network hop or an SDK round trip per item. These are dynalite's internal modules: the version is pinned
 * in package.json, and test/local covers what the gateway relies on.
 */

const require = createRequire(import.meta.url);

interface DynaliteFailure extends Error {
  statusCode?: number;
  body?: Record<string, unknown>;
}
type Callback = (err: DynaliteFailure | null | undefined, data?: Record<string, unknown>) => void;
type Action = (store: DynaliteStore, data: Record<string, unknown>, cb: Callback) => void;
/** A validation's own checks after the type pass (attribute values, item sizes…): an error message, or nothing. */
type CustomValidation = (data: Record<string, unknown>, store: DynaliteStore) => string | undefined;
interface ActionValidation {
  readonly types: Record<string, unknown>;
  readonly custom?: CustomValidation;
}
interface Validations {
  checkTypes(data: Record<string, unknown>, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(
    data: Record<string, unknown>,
    types: Record<string, unknown>,
    custom: unknown,
    store: DynaliteStore,
  ): void;
  toLowerFirst(name: string): string;
}
type TableCallback = (err: Error | null | undefined, table?: TableDescription) => void;
interface TableDescription extends TableShape {
  readonly TableStatus?: string;
}
interface DynaliteStore extends AbsentWriteStore {
  readonly lifecycleManager?: { gracefulClose(cb: (err?: Error | null) => void): void };
  readonly db: { close(cb: (err?: Error | null) => void): void };
  getTable(name: string, checkStatus: boolean | TableCallback, cb?: TableCallback): void;
}

/** Operations that change a table's description (they clear the engine's cache of descriptions). */
const TABLE_CHANGES: ReadonlySet<string> = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);
interface DynaliteDb extends AbsentWriteDb {
  create(options: {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }): DynaliteStore;
}

export const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'ListTagsOfResource',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'UpdateItem',
  'UpdateTable',
] as const;
export type Operation = (typeof OPERATIONS)[number];
export const isOperation = (name: string): name is Operation => (OPERATIONS as readonly string[]).includes(name);

/** A DynamoDB error answer: its HTTP status and JSON body (`__type`, `message`/`Message`, …). */
export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly body: Readonly<Record<string, unknown>>,
  ) {
    super(String(body.message ?? body.Message ?? body.__type ?? 'DynamoDB error'));
  }

  /** The exception's short name, e.g. `ConditionalCheckFailedException`. */
  get type(): string {
    const type = String(this.body.__type ?? '');
    return type.slice(type.indexOf('#') + 1);
  }
}

export const isConditionFailure = (err: unknown): boolean =>
  err instanceof EngineError && err.type === 'ConditionalCheckFailedException';

export class DynaliteEngine {
  private readonly actions = new Map<Operation, { action: Action; validation: ActionValidation }>();
  private readonly validations: Validations;
  /** ACTIVE tables' descriptions: dynalite reads the description from LevelDB on every item call otherwise. */
  private readonly tables = new Map<string, TableDescription>();

  private constructor(
    private readonly store: DynaliteStore,
    private readonly db: DynaliteDb,
  ) {
    const readTable = store.getTable.bind(store);
    store.getTable = (name, checkStatus, cb) => {
      const callback = typeof checkStatus === 'function' ? checkStatus : cb;
      if (callback === undefined) return;
      const cached = this.tables.get(name);
      if (cached !== undefined) {
        process.nextTick(callback, null, cached);
        return;
      }
      readTable(name, typeof checkStatus === 'function' ? false : checkStatus, (err, table) => {
        if (!err && table?.TableStatus === 'ACTIVE') this.tables.set(name, table);
        callback(err, table);
      });
    };
    this.validations = require('dynalite/validations/index.js') as Validations;
    for (const operation of OPERATIONS) {
      const file = this.validations.toLowerFirst(operation);
      this.actions.set(operation, {
        action: require(`dynalite/actions/${file}.js`) as Action,
        validation: require(`dynalite/validations/${file}.js`) as ActionValidation,
      });
    }
  }

  /** Opens (or creates) the LevelDB store under `path`; tables are ACTIVE at once. */
  static open(path: string): DynaliteEngine {
    const db = require('dynalite/db/index.js') as DynaliteDb;
    return new DynaliteEngine(db.create({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }), db);
  }

  /**
   * One DynamoDB operation on the JSON wire form (attribute values as {"S": …}, binaries base64), validated exactly as
   * dynalite's server validates it. `input` is consumed (validation rewrites it): pass a fresh object. Resolves with
   * the answer's body; rejects with an EngineError carrying DynamoDB's status and error body.
   */
  call(operation: Operation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entry = this.actions.get(operation);
    if (entry === undefined)
      return Promise.reject(new EngineError(400, { __type: 'com.amazon.coral.service#UnknownOperationException' }));
    if (TABLE_CHANGES.has(operation)) this.tables.clear();
    let data: Record<string, unknown>;
    try {
      data = this.validations.checkTypes(input, entry.validation.types);
      this.validations.checkValidations(data, entry.validation.types, entry.validation.custom, this.store);
    } catch (err) {
      return Promise.reject(asEngineError(err));
    }
    return this.run(operation, entry.action, data);
  }

  /**
   * A BatchGetItem the front builds itself (transact/fresh-puts.ts) from a transaction's keys, which parsing made
   * well-formed (transact-request.ts: one datatype per value, strings, booleans, lists, binaries in canonical base64)
   * and whose tables DescribeTable accepted (keys.ts), at most 100 per call. On such input dynalite's type pass
   * (checkTypes) only copies, and its member constraints (table names, list lengths) hold: both are skipped (with the
   * same for the writes, writeAbsent, they were 30 % of the store thread's allocation under a saturated gateway). What
   * can still fail runs as in `call`: the operation's own checks (attribute values, duplicates) and the action's (key
   * types and sizes against the schema), with the same errors. `input` is used as it is, not copied.
   */
  callBuilt(operation: 'BatchGetItem', input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entry = this.actions.get(operation);
    if (entry === undefined) return Promise.reject(new Error(`${operation} is not loaded`));
    let message: string | undefined;
    try {
      message = entry.validation.custom?.(input, this.store);
    } catch (err) {
      return Promise.reject(asEngineError(err));
    }
    if (message) return Promise.reject(asEngineError(this.db.validationError(message)));
    return this.run(operation, entry.action, input);
  }

  /**
   * Puts of items the caller knows to be absent (read under its write lock just before; transact/fresh-puts.ts), in
   * BatchWriteItem's request form, built from checked items as for callBuilt (no type pass, no member constraints):
   * BatchWriteItem's own checks (attribute values, item size), then each table's (key attributes, duplicates), then
   * the writes, without putItem's read of the old item (absent-writes.ts). Same errors as BatchWriteItem.
   */
  async writeAbsent(requestItems: Record<string, readonly { PutRequest: { Item: Record<string, unknown> } }[]>) {
    const entry = this.actions.get('BatchWriteItem');
    try {
      const message = entry?.validation.custom?.({ RequestItems: requestItems }, this.store);
      if (message) throw this.db.validationError(message);
      const tables = new Map<string, TableShape>();
      const items = new Map<string, Record<string, unknown>[]>();
      for (const [name, requests] of Object.entries(requestItems)) {
        tables.set(name, await this.describe(name));
        items.set(
          name,
          requests.map((request) => request.PutRequest.Item),
        );
      }
      await writeAbsent(this.store, this.db, tables, items);
    } catch (err) {
      throw asEngineError(err);
    }
  }

  /** A table's description as item calls read it (the cache above), or ResourceNotFoundException. */
  private describe(name: string): Promise<TableDescription> {
    return new Promise((resolve, reject) =>
      this.store.getTable(name, false, (err, table) => (err || table === undefined ? reject(err) : resolve(table))),
    );
  }

  private run(operation: Operation, action: Action, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      try {
        action(this.store, data, (err, result) => {
          if (TABLE_CHANGES.has(operation)) this.tables.clear();
          if (err) reject(asEngineError(err));
          else resolve(result ?? {});
        });
      } catch (err) {
        reject(asEngineError(err));
      }
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (this.store.lifecycleManager) this.store.lifecycleManager.gracefulClose(done);
      else this.store.db.close(done);
    });
  }
}

const isFailure = (err: unknown): err is Required<Pick<DynaliteFailure, 'statusCode' | 'body'>> =>
  err instanceof Error &&
  typeof (err as DynaliteFailure).statusCode === 'number' &&
  typeof (err as DynaliteFailure).body === 'object';

function asEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (isFailure(err)) return new EngineError(err.statusCode, err.body);
  const message = err instanceof Error ? err.message : String(err);
  return new EngineError(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message });
}
