import { type Agent, type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';

/** Hop-by-hop headers belong to one connection; the rest pass through untouched. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade']);

const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name.toLowerCase())));

export interface Upstream {
  readonly host: string;
  readonly port: number;
  readonly agent: Agent;
}

/**
 * Sends a request (its body already read) to dynalite as is and streams the answer back. `onAnswered` runs once,
 * when dynalite has answered (it writes before answering) or the exchange failed: the write lock is released there.
 */
export function forward(
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  upstream: Upstream,
  onAnswered: () => void = () => undefined,
): void {
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    onAnswered();
  };
  const headers = { ...endToEnd(req.headers), 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  const proxied = request(
    { host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers, agent: upstream.agent },
    (answer) => {
      finish();
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    },
  );
  proxied.on('error', (err) => {
    finish();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`dynalite unreachable: ${err.message}`);
  });
  res.on('close', () => {
    if (!res.writableFinished) proxied.destroy();
  });
  proxied.end(body);
}

/** Reads a request body whole (DynamoDB requests are small: at most a few MB). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
