import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A DynamoDB endpoint in front of another (the embedded store) that passes every call through, counting the key
 * store's lastUsedAt stamps (UpdateItem on a `KEY#` item), and once armed fails every attempt of the first `count`
 * key lookups (GetItem of a `KEY#` item) with a 500 InternalServerError: the SDK's own retries of one lookup share its
 * invocation id, so that lookup fails as a whole and only a new lookup gets through — a store that stalls for a moment.
 */
export interface KeyStoreFaults {
  readonly url: string;
  /** lastUsedAt stamps that reached the store. */
  readonly touches: () => number;
  /** Key lookups failed so far (each with all its attempts). */
  readonly failedLookups: () => number;
  /** Fails the next `count` key lookups, every attempt of each. */
  failLookups(count: number): void;
  close(): Promise<void>;
}

const GET = 'DynamoDB_20120810.GetItem';
const UPDATE = 'DynamoDB_20120810.UpdateItem';
const KEY_ITEM = /"pk":\{"S":"KEY#/;

export async function startKeyStoreFaults(target: string): Promise<KeyStoreFaults> {
  const upstream = new URL(target);
  let touches = 0;
  let toFail = 0;
  const failing = new Set<string>();
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse): void => {
    const out = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };
  const fail = (res: ServerResponse): void => {
    const text = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' });
    res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' }).end(text);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = req.headers['x-amz-target'];
      const keyItem = KEY_ITEM.test(body.toString('utf8'));
      if (target === UPDATE && keyItem && body.includes('lastUsedAt')) touches += 1;
      if (target === GET && keyItem) {
        const invocation = String(req.headers['amz-sdk-invocation-id'] ?? '');
        if (failing.has(invocation)) return fail(res);
        if (toFail > 0) {
          toFail -= 1;
          failing.add(invocation);
          return fail(res);
        }
      }
      forward(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    touches: () => touches,
    failedLookups: () => failing.size,
    failLookups: (count) => {
      toFail = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
