/**
 * The benchmark's limit: the least a Node proxy can do. Every request is forwarded as is (method, path, headers,
 * body streamed) to the upstream's origin over a keep-alive agent, and the answer piped back as it arrives (so a
 * stream stays a stream). No parsing, no auth, no logging. Env: BENCH_UPSTREAM_URL. Prints `PASSTHROUGH_URL <url>`;
 * exits on SIGTERM, SIGINT or when its stdin closes.
 */
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, exitWhenAsked } from './child-exit.js';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? '');
const agent = new Agent({ keepAlive: true, maxFreeSockets: 1024 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

const forwarded = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

const server = createServer((req, res) => {
  const out = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path: req.url,
      method: req.method,
      headers: forwarded(req.headers),
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, forwarded(answer.headers));
      answer.pipe(res);
    },
  );
  out.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) out.destroy();
  });
  req.pipe(out);
});
server.keepAliveTimeout = 30_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.stdout.write(`PASSTHROUGH_URL http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);

exitWhenAsked(closeServer(server));
