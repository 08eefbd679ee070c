import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynaliteEngine, EngineError, isOperation, type Operation } from './engine/dynalite-engine.js';
import { applyTransaction, fromEngineError } from './transact/apply.js';
import { limitsFromEnv, type DynamoLimits } from './transact/dynamo-limits.js';
import { DynamoError, idempotentMismatch } from './transact/errors.js';
import { existingItems } from './transact/fresh-puts.js';
import { TokenStore, requestHash } from './transact/idempotency.js';
import { KeySchemas, resolveKeys } from './transact/keys.js';
import { LimitGate } from './transact/limit-gate.js';
import { Mutex } from './transact/mutex.js';
import { parseTransactRequest, type TransactOp } from './transact/transact-request.js';
import { feedRecords } from './transact/transact-records.js';
import { StreamFeed } from './transact/stream-feed.js';
import { StreamLog } from './transact/stream-log.js';
import { restoreImages, UndoLog, type UndoImage } from './transact/undo-log.js';

/**
 * The embedded store's DynamoDB endpoint: an HTTP server speaking DynamoDB's JSON 1.0 protocol, answering every call
 * with dynalite's engine in this process (engine/dynalite-engine.ts), plus TransactWriteItems, which dynalite lacks,
 * implemented here on the same engine — so the gateway's code is the same against DynamoDB and locally. Requests are
 * not authenticated (it listens on 127.0.0.1 only).
 *
 * Isolation: writes are serialized by one lock. A transaction holds it from its idempotency check to its last
 * write (or undo); every PutItem, UpdateItem, DeleteItem and BatchWriteItem takes it too. So no write interleaves
 * with a transaction, and transactions are serializable among themselves and with single writes. Reads (GetItem,
 * Query, Scan, BatchGetItem) are not locked: one may see a transaction half applied, or a cancelled one's items for
 * the moment before they are undone. DynamoDB never shows either; locally that is acceptable.
 *
 * Atomicity: each item is applied as its own conditional operation, returning its old image; a failed condition or
 * error undoes every applied item (restores the old image, or deletes an item that did not exist). Across a crash
 * too: the transaction's before-images are in an undo log on disk (`<path>.undo`, transact/undo-log.ts) before its
 * first write, and a transaction the process died inside is undone at the next start, before the front serves. So a
 * transaction's items are all in the store or none is, whenever the process is killed.
 *
 * The stream: a request record inserted by PutItem (`REQ#<id>` / `REQ`) goes, in write order, to the ledger's
 * aggregator (transact/stream-feed.ts), as DynamoDB Streams feed it in AWS; the PutItem is answered once the record's
 * counters and quota settle are applied.
 */
export interface FrontOptions {
  /** DynamoDB's per-partition rates and transaction conflicts (transact/dynamo-limits.ts); default: from the env. */
  readonly limits?: DynamoLimits | false;
  /** Feed request records to the aggregator (default true); off, a request record is a plain PutItem. */
  readonly stream?: boolean;
}

export interface TransactFront {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** GET: the calls the front has served, per operation (`{"calls":{"UpdateItem":12,…}}`); local diagnostics only. */
export const STATS_PATH = '/_local/stats';

const TARGET_PREFIX = 'DynamoDB_20120810.';
const LOCKED: ReadonlySet<string> = new Set<Operation>(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

const errorBody = (type: string, message?: string): Record<string, unknown> => ({
  __type: type,
  ...(message === undefined ? {} : { message }),
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Opens the engine on `path` (LevelDB) and serves it on 127.0.0.1, on a free port. */
export async function startTransactFront(path: string, options: FrontOptions = {}): Promise<TransactFront> {
  const engine = DynaliteEngine.open(path);
  const limits = options.limits === false ? undefined : (options.limits ?? limitsFromEnv());
  const gate = limits === undefined ? undefined : new LimitGate(limits, engine);
  const undo = UndoLog.open(`${path}.undo`);
  try {
    if (undo.left !== undefined) await restoreImages(engine, undo.left);
    undo.clear();
  } catch (err) {
    undo.close();
    await engine.close();
    throw err;
  }
  const lock = new Mutex();
  // Calls per operation, for `npm run bench` (GET /_local/stats): what one chat request costs in store calls.
  const calls = new Map<string, number>();
  const tokens = new TokenStore();
  const schemas = new KeySchemas(engine);
  const stream = new StreamFeed(StreamLog.open(`${path}.stream`));

  /**
   * A transaction; its request-record puts go to the stream like a PutItem's (logged under the lock, the answer
   * waiting for their aggregation): the local ledger writes a batch of records as one transaction.
   */
  async function transact(text: string): Promise<void> {
    const request = parseTransactRequest(text);
    const hash = requestHash(request.raw);
    // The promise in an object: returned bare, lock.run would hold the lock until the aggregation, which needs it.
    const { aggregated } = await lock.run(async () => {
      if (request.token !== undefined) {
        const verdict = tokens.check(request.token, hash);
        if (verdict === 'replay') return { aggregated: Promise.resolve() };
        if (verdict === 'mismatch') throw idempotentMismatch();
      }
      const fed = feedRecords(stream, request.ops);
      try {
        await applyOps(fed.ops, request.token, hash);
      } catch (err) {
        void fed.end(false);
        throw err;
      }
      return { aggregated: fed.end(true) };
    });
    await aggregated;
  }

  /** Under the lock: the transaction's items applied all or none (undo log on disk first). */
  async function applyOps(ops: readonly TransactOp[], token: string | undefined, hash: string): Promise<void> {
    let keyed;
    try {
      keyed = await resolveKeys(ops, schemas);
    } catch (err) {
      if (err instanceof EngineError && err.type === 'ResourceNotFoundException')
        ops.forEach((op) => schemas.forget(op.table));
      throw err;
    }
    // The before-images, on disk before the first write (undo-log.ts); the fresh puts' check reuses them.
    const before = await existingItems(engine, keyed).catch((err: unknown) => Promise.reject(fromEngineError(err)));
    const images: UndoImage[] = keyed.map((item, i) => ({
      table: item.op.table,
      key: item.key,
      old: before.get(i),
    }));
    gate?.admitTransaction(keyed, images);
    undo.write(images);
    try {
      await applyTransaction(engine, keyed, before);
    } catch (err) {
      // A cancelled transaction was undone by apply.ts; after any other failure its undo may be partial: the images
      // are written back (a failure there leaves the log for the next start).
      if (!isCancellation(err)) await restoreImages(engine, images);
      undo.clear();
      throw err;
    }
    undo.clear();
    if (token !== undefined) tokens.remember(token, hash);
  }

  /** A request record's insert: put and logged under the lock, answered once the aggregator applied it. */
  async function putRecord(data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { out, aggregated } = await lock.run(async () => {
      await gate?.admitWrite('PutItem', data);
      const { seq, input } = stream.begin(data);
      try {
        const put = await engine.call('PutItem', input);
        return { out: put, aggregated: stream.end(seq, input, true) };
      } catch (err) {
        void stream.end(seq, input, false);
        throw err;
      }
    });
    await aggregated;
    return out;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET') {
      if (req.url === STATS_PATH) answer(res, 200, { calls: Object.fromEntries(calls) });
      else answer(res, 200, { healthy: true });
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const text = await readBody(req);
    calls.set(operation, (calls.get(operation) ?? 0) + 1);
    if (operation === 'TransactWriteItems') {
      try {
        await transact(text);
        answer(res, 200, {});
      } catch (err) {
        const error = fromEngineError(err);
        answer(res, error.status, error.body());
      }
      return;
    }
    if (!isOperation(operation)) {
      answer(res, 400, errorBody('com.amazon.coral.service#UnknownOperationException'));
      return;
    }
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      input = undefined;
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      answer(res, 400, errorBody('com.amazon.coral.service#SerializationException'));
      return;
    }
    const data = input as Record<string, unknown>;
    try {
      const out =
        operation === 'PutItem' && options.stream !== false && StreamFeed.carries(data)
          ? await putRecord(data)
          : LOCKED.has(operation)
            ? await lock.run(async () => {
                await gate?.admitWrite(operation, data);
                return engine.call(operation, data);
              })
            : await engine.call(operation, data);
      gate?.chargeRead(operation, data, out);
      answer(res, 200, out);
    } catch (err) {
      // The engine's own error body as it is; anything else in DynamoDB's error shape.
      if (err instanceof EngineError) answer(res, err.status, err.body);
      else {
        const error = fromEngineError(err);
        answer(res, error.status, error.body());
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else answer(res, 500, fromEngineError(err).body());
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await engine.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  stream.connect(endpoint);
  await stream.replay(engine);
  return {
    endpoint,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err?: Error) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      stream.close();
      await engine.close();
      undo.close();
    },
  };
}

const isCancellation = (err: unknown): boolean =>
  err instanceof DynamoError && err.type.endsWith('TransactionCanceledException');
