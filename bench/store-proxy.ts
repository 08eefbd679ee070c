import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readUnitsOfCall, writeUnitsOfCall, type ItemReader } from './write-units.js';
import type { Item } from '../lambdas/store/attributes.js';
import { wireItem } from './wire-item.js';

/** One DynamoDB call the proxy passed on: when it arrived and when its answer left (process.hrtime.bigint()). */
export interface StoreCall {
  readonly op: string;
  readonly arrivedAt: bigint;
  endedAt?: bigint;
  status?: number;
  /** Write request units, estimated once the answer is back (bench/write-units.ts); 0 for reads. */
  writeUnits: number;
  /** Read request units, from the items the answer carries; 0 for writes. */
  readUnits: number;
}

export interface StoreProxy {
  readonly url: string;
  /** Every call so far, in arrival order. */
  readonly calls: readonly StoreCall[];
  /** Calls whose answer (or write-unit estimate) is still pending. */
  pending(): number;
  /** When the last call arrived or ended. */
  lastActivity(): bigint;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(store: URL, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { 'transfer-encoding': _chunked, ...rest } = headers;
    const req = request(
      store,
      { method: 'POST', agent: false, headers: { ...rest, host: store.host, 'content-length': body.length } },
      (res) => {
        readAll(res).then(
          (answer) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: answer }),
          reject,
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/**
 * An HTTP proxy in front of a DynamoDB-compatible store that waits `delayMs` before passing each call on (the
 * network time to DynamoDB in AWS), and records every call: operation, arrival, end and its estimated write and read
 * units. The estimate reads the written items back from the store itself (GetItem, not delayed, not recorded),
 * after the answer has gone back, so it adds nothing to the caller's wait.
 */
export async function startStoreProxy(storeEndpoint: string, delayMs: number): Promise<StoreProxy> {
  const store = new URL(storeEndpoint);
  const calls: StoreCall[] = [];
  let pending = 0;
  let last = process.hrtime.bigint();
  let authorization: string | undefined;

  const readItem: ItemReader = async (table: string, key: Item): Promise<Item | undefined> => {
    const body = Buffer.from(JSON.stringify({ TableName: table, Key: key, ConsistentRead: true }));
    const answer = await forward(
      store,
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `${TARGET_PREFIX}GetItem`,
        ...(authorization === undefined ? {} : { authorization }),
      },
      body,
    );
    if (answer.status !== 200) return undefined;
    const parsed = JSON.parse(answer.body.toString('utf8')) as { Item?: unknown };
    return parsed.Item === undefined ? undefined : wireItem(parsed.Item);
  };

  const server = createServer((req, res) => {
    const arrivedAt = process.hrtime.bigint();
    last = arrivedAt;
    const target = String(req.headers['x-amz-target'] ?? '');
    const call: StoreCall = {
      op: target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target || req.url || '?',
      arrivedAt,
      writeUnits: 0,
      readUnits: 0,
    };
    // The bench's own reads (the store's stats) are not the gateway's calls.
    const recorded = req.headers['x-amz-target'] !== undefined;
    if (recorded) calls.push(call);
    pending++;
    if (typeof req.headers.authorization === 'string') authorization = req.headers.authorization;
    const done = (): void => {
      pending--;
      last = process.hrtime.bigint();
    };
    void (async () => {
      const body = await readAll(req);
      if (recorded && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const answer = await forward(store, req.headers, body);
      res.writeHead(answer.status, answer.headers).end(answer.body);
      call.endedAt = process.hrtime.bigint();
      call.status = answer.status;
      if (!recorded) return;
      const input = JSON.parse(body.toString('utf8')) as unknown;
      call.readUnits = readUnitsOfCall(call.op, input, answer.body.toString('utf8'));
      call.writeUnits = await writeUnitsOfCall(call.op, input, readItem);
    })()
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(502).end(String(err));
      })
      .finally(done);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    pending: () => pending,
    lastActivity: () => last,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
