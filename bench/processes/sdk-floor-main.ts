/**
 * The floor of any gateway built on the official SDK: a Node HTTP server that parses the request body and sends it
 * upstream through the `openai` package (the gateway's own transport, `nodeFetch`, no retries), then writes the
 * completion back as JSON, or its chunks as SSE ending with `data: [DONE]`. No auth, quotas, ledger, logging or
 * Middy: what is left is the price of Node HTTP on both sides plus the SDK. Env: BENCH_UPSTREAM_URL (the SDK's
 * base URL), BENCH_UPSTREAM_KEY. Prints `SDK_FLOOR_URL <url>`; exits on SIGTERM, SIGINT or when its stdin closes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { nodeFetch } from '../../lambdas/transport/node-fetch.js';
import { closeServer, exitWhenAsked } from './child-exit.js';

const client = new OpenAI({
  apiKey: process.env.BENCH_UPSTREAM_KEY ?? '',
  baseURL: process.env.BENCH_UPSTREAM_URL ?? '',
  maxRetries: 0,
  timeout: 60_000,
  fetch: nodeFetch,
  organization: null,
  project: null,
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = JSON.parse(await readBody(req)) as ChatCompletionCreateParams;
  if (body.stream === true) {
    const chunks = await client.chat.completions.create({ ...body, stream: true });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    // Events parsed in the same event-loop turn go out in one socket write (as the gateway's local stream does).
    // Uncorked before end(): Node's end() would send the chunked terminator ahead of corked chunks.
    let corked = false;
    const uncork = (): void => {
      if (!corked) return;
      corked = false;
      res.uncork();
    };
    for await (const chunk of chunks) {
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(uncork);
      }
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    uncork();
    res.end('data: [DONE]\n\n');
  } else {
    const completion = await client.chat.completions.create({ ...body, stream: false });
    const text = JSON.stringify(completion);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  }
}

const server = createServer((req, res) => {
  serve(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
});
server.keepAliveTimeout = 30_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.stdout.write(`SDK_FLOOR_URL http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);

exitWhenAsked(closeServer(server));
