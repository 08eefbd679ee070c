import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeUpstreamConnections, nodeFetch } from '../../lambdas/providers/node-fetch.js';

// The provider SDKs' transport: JSON answers come back buffered (no Fetch Response per request), event streams as
// they arrive; the SDKs read both through the Response members they use.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/json') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
      res.end(JSON.stringify({ hello: 'wörld' }));
    } else if (req.url === '/limited') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end('{"error":{"message":"slow down"}}');
    } else if (req.url === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 20);
    } else {
      res.writeHead(204);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  closeUpstreamConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('a JSON answer: status, headers, the body once as text or JSON', async () => {
  const response = await nodeFetch(`${base}/json`, { method: 'POST', body: '{}', headers: new Headers({ 'content-type': 'application/json' }) });
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

it('an event stream is a Response whose body arrives piece by piece', async () => {
  const response = await nodeFetch(`${base}/events`);
  expect(response).toBeInstanceOf(Response);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  expect(Buffer.from(first.value as Uint8Array).toString('utf8')).toBe('data: one\n\n');
  let rest = '';
  for (let part = await reader.read(); !part.done; part = await reader.read()) rest += Buffer.from(part.value).toString('utf8');
  expect(rest).toBe('data: two\n\n');
});

it('no content: a Response without body', async () => {
  const response = await nodeFetch(`${base}/empty`);
  expect(response.status).toBe(204);
  expect(response.body).toBeNull();
});
