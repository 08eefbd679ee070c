import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { closeUpstreamConnections, nodeFetch } from '../../lambdas/transport/node-fetch.js';

// The provider SDKs' transport: JSON answers come back buffered (no Fetch Response per request), event streams as
// they arrive; the SDKs read both through the Response members they use.
let server: Server;
let base: string;
let connections = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/json') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
      res.end(JSON.stringify({ hello: 'wörld' }));
    } else if (req.url === '/limited') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end('{"error":{"message":"slow down"}}');
    } else if (req.url === '/v1/chat/completions') {
      // A whole OpenAI stream in one piece, [DONE] included.
      const chunk = {
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }],
      };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      req.resume();
      res.end(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 200);
    } else if (req.url === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 20);
    } else {
      res.writeHead(204, { 'x-empty': 'yes' });
      res.end();
    }
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  closeUpstreamConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('a JSON answer: status, headers, the body once as text or JSON', async () => {
  const response = await nodeFetch(`${base}/json`, {
    method: 'POST',
    body: '{}',
    headers: new Headers({ 'content-type': 'application/json' }),
  });
  expect(response.status).toBe(200);
  expect(response.ok).toBe(true);
  expect(response.url).toBe(`${base}/json`);
  expect(response.headers.get('X-Request-Id')).toBe('req-1');
  expect(response.bodyUsed).toBe(false);
  expect(await response.json()).toEqual({ hello: 'wörld' });
  expect(response.bodyUsed).toBe(true);
  await expect(response.text()).rejects.toThrow(TypeError);
});

it('an error answer keeps its status, headers and text', async () => {
  const response = await nodeFetch(`${base}/limited`, { method: 'POST', body: '{}' });
  expect(response.ok).toBe(false);
  expect(response.status).toBe(429);
  expect(response.headers.get('retry-after')).toBe('7');
  expect(await response.text()).toBe('{"error":{"message":"slow down"}}');
});

it('binary reads give the same bytes', async () => {
  const response = await nodeFetch(`${base}/json`);
  expect(Buffer.from(await response.arrayBuffer()).toString('utf8')).toBe(JSON.stringify({ hello: 'wörld' }));
});

it('an event stream: the body arrives piece by piece, through the async iteration the SDKs use', async () => {
  const response = await nodeFetch(`${base}/events`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  expect(response.bodyUsed).toBe(false);
  const pieces: string[] = [];
  for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>)
    pieces.push(Buffer.from(piece).toString('utf8'));
  // The second piece is sent 20 ms after the first: two reads, in order.
  expect(pieces).toEqual(['data: one\n\n', 'data: two\n\n']);
  expect(response.bodyUsed).toBe(true);
  await expect(response.text()).rejects.toThrow(TypeError);
});

it('an event stream read whole gives its text; ending the iteration early, before its end, closes the connection', async () => {
  expect(await (await nodeFetch(`${base}/events`)).text()).toBe('data: one\n\ndata: two\n\n');
  const served = new Promise<ServerResponse>((resolve) =>
    server.once('request', (_req, res: ServerResponse) => resolve(res)),
  );
  const early = await nodeFetch(`${base}/events`);
  for await (const piece of early.body as unknown as AsyncIterable<Uint8Array>) {
    expect(Buffer.from(piece).toString('utf8')).toBe('data: one\n\n');
    break;
  }
  const res = await served;
  // The server sees the connection go before it could send the second piece (20 ms after the first).
  await new Promise((resolve) => (res.closed ? resolve(undefined) : res.once('close', resolve)));
  expect(res.writableFinished).toBe(false);
  expect(early.bodyUsed).toBe(true);
});

it('streams read by the SDK to [DONE] keep their keep-alive connection', async () => {
  const client = new OpenAI({ apiKey: 'k', baseURL: `${base}/v1`, maxRetries: 0, fetch: nodeFetch });
  const before = connections;
  for (let i = 0; i < 6; i++) {
    let text = '';
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('hi');
  }
  // One socket, sometimes a second while the first drains its end: never one per stream.
  expect(connections - before).toBeLessThanOrEqual(2);
});

it('an abort before the answer rejects with an AbortError; one after a complete answer changes nothing', async () => {
  const early = new AbortController();
  const pending = nodeFetch(`${base}/slow`, { signal: early.signal });
  setTimeout(() => early.abort(), 10);
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  await expect(nodeFetch(`${base}/json`, { signal: early.signal })).rejects.toMatchObject({ name: 'AbortError' });

  const late = new AbortController();
  const response = await nodeFetch(`${base}/events`, { signal: late.signal });
  expect(await response.text()).toBe('data: one\n\ndata: two\n\n');
  const before = connections;
  late.abort();
  expect((await nodeFetch(`${base}/json`)).status).toBe(200);
  expect(connections).toBe(before);
});

it('no content: an answer without body, its headers read like the others', async () => {
  const response = await nodeFetch(`${base}/empty`);
  expect(response.status).toBe(204);
  expect(response.ok).toBe(true);
  expect(response.body).toBeNull();
  expect(response.headers.get('X-Empty')).toBe('yes');
  expect(await response.text()).toBe('');
});
