import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One DynamoDB call as the interposer received it, and what it may do with it. */
export interface InterposedCall {
  readonly req: IncomingMessage;
  /** `x-amz-target`, e.g. `DynamoDB_20120810.GetItem`. */
  readonly target: string;
  readonly body: Buffer;
  /** Passes the call on to the store as it came. */
  forward(): void;
  /** Answers it as DynamoDB does a server fault: 500 InternalServerError. */
  fail(): void;
}

export interface StoreInterposer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A DynamoDB endpoint on 127.0.0.1 (port 0) in front of another (the embedded store): each call, read whole, goes
 * to `decide`, which forwards it, fails it or keeps it for later — the store slow or failing at the network layer.
 */
export async function startStoreInterposer(
  target: string,
  decide: (call: InterposedCall) => void,
): Promise<StoreInterposer> {
  const upstream = new URL(target);
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
      decide({
        req,
        target: String(req.headers['x-amz-target'] ?? ''),
        body,
        forward: () => forward(req, body, res),
        fail: () => fail(res),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
