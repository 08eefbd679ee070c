import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { applyTransaction } from './transact/apply.js';
import { DynamoError, fromSdkError, idempotentMismatch } from './transact/errors.js';
import { forward, readBody, type Upstream } from './transact/forward.js';
import { TokenStore, requestHash } from './transact/idempotency.js';
import { KeySchemas, resolveKeys } from './transact/keys.js';
import { Mutex } from './transact/mutex.js';
import { parseTransactRequest } from './transact/request.js';

/**
 * A thin HTTP front before the embedded dynalite, which lacks TransactWriteItems: the front implements that
 * operation with ordinary dynalite calls and forwards every other request as is, so the gateway's code is the same
 * against DynamoDB and locally.
 *
 * Isolation: writes are serialized by one lock. A transaction holds it from its idempotency check to its last
 * write (or undo); every forwarded PutItem, UpdateItem, DeleteItem and BatchWriteItem takes it too. So no write
 * interleaves with a transaction, and transactions are serializable among themselves and with single writes. Reads
 * (GetItem, Query, Scan, BatchGetItem) are not locked: one may see a transaction half applied, or a cancelled one's
 * items for the moment before they are undone. DynamoDB never shows either; locally that is acceptable. Writes that
 * bypass the front (another client straight to dynalite) are not isolated at all.
 *
 * Atomicity: each item is applied as its own conditional operation after reading its old image; a failed
 * condition or error undoes every applied item (restores the old image, or deletes an item that did not exist).
 * A crash in the middle of a transaction leaves it partly applied (there is no redo/undo log on disk).
 */
export interface TransactFront {
  readonly endpoint: string;
  close(): Promise<void>;
}

const transactTarget = 'DynamoDB_20120810.TransactWriteItems';
/** GET: the calls the front has served, per operation (`{"calls":{"UpdateItem":12,…}}`); local diagnostics only. */
export const STATS_PATH = '/_local/stats';
const lockedTargets = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].map((op) => `DynamoDB_20120810.${op}`));

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

export async function startTransactFront(upstreamEndpoint: string): Promise<TransactFront> {
  const url = new URL(upstreamEndpoint);
  const agent = new Agent({ keepAlive: true });
  const upstream: Upstream = { host: url.hostname, port: Number(url.port), agent };
  const client = new DynamoDBClient({
    endpoint: upstreamEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // Never retried: a retried ADD whose first answer was lost would count twice.
    maxAttempts: 1,
  });
  const lock = new Mutex();
  // Calls per operation, for `npm run bench` (GET /_local/stats): what one chat request costs in store calls.
  const calls = new Map<string, number>();
  const tokens = new TokenStore();
  const schemas = new KeySchemas(client);

  async function transact(text: string): Promise<void> {
    const request = parseTransactRequest(text);
    const hash = requestHash(request.raw);
    await lock.run(async () => {
      if (request.token !== undefined) {
        const verdict = tokens.check(request.token, hash);
        if (verdict === 'replay') return;
        if (verdict === 'mismatch') throw idempotentMismatch();
      }
      let keyed;
      try {
        keyed = await resolveKeys(request.ops, schemas);
      } catch (err) {
        if (err instanceof ResourceNotFoundException) request.ops.forEach((op) => schemas.forget(op.table));
        throw err;
      }
      await applyTransaction(client, keyed);
      if (request.token !== undefined) tokens.remember(request.token, hash);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === STATS_PATH) {
      answer(res, 200, { calls: Object.fromEntries(calls) });
      return;
    }
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const operation = target.slice(target.indexOf('.') + 1);
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
    }
    const body = await readBody(req);
    if (target === transactTarget) {
      try {
        await transact(body.toString('utf8'));
        answer(res, 200, {});
      } catch (err) {
        const error = err instanceof DynamoError ? err : fromSdkError(err);
        answer(res, error.status, error.body());
      }
      return;
    }
    if (typeof target === 'string' && lockedTargets.has(target)) {
      const release = await lock.acquire();
      forward(req, body, res, upstream, release);
      return;
    }
    forward(req, body, res, upstream);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else answer(res, 500, fromSdkError(err).body());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err?: Error) => {
          client.destroy();
          agent.destroy();
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
