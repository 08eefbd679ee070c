import { once } from 'node:events';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { SocketResponseStream } from '../../local/response-writer.js';

// The local server's response stream for streaming handlers: pieces written in one turn of the event loop go out in
// one socket write, each turn's pieces before the loop moves on, and the end of the chunked encoding last.

type Script = (stream: SocketResponseStream, res: ServerResponse) => void;
let script: Script = () => undefined;
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((_req, res) => script(new SocketResponseStream(res), res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Counts the socket's writes to the OS (Writable's _write and _writev: one system call each). */
function countWrites(socket: Socket): { count: () => number } {
  let writes = 0;
  const target = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  for (const name of ['_write', '_writev'] as const) {
    const own = target[name].bind(socket);
    target[name] = (...args: unknown[]) => {
      writes += 1;
      return own(...args);
    };
  }
  return { count: () => writes };
}

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 15));

it('pieces of several turns arrive whole and in order, those written with the end included', async () => {
  script = (stream) => {
    stream.setPrelude({ statusCode: 200, headers: { 'content-type': 'text/event-stream' } });
    stream.write('data: 1\n\n');
    void nextTurn().then(async () => {
      stream.write('data: 2\n\n');
      await nextTurn();
      stream.write('data: 3\n\n');
      stream.write('data: [DONE]\n\n');
      stream.end();
    });
  };
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  expect(await response.text()).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: [DONE]\n\n');
});

it('the first piece is on the wire before the next turn, without waiting for the end', async () => {
  let release: () => void = () => undefined;
  script = (stream) => {
    stream.setPrelude({ statusCode: 200, headers: {} });
    stream.write('first');
    release = () => stream.end('last');
  };
  const response = await fetch(url);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  expect(Buffer.from(first.value as Uint8Array).toString('utf8')).toBe('first');
  release();
  const rest = await reader.read();
  expect(Buffer.from(rest.value as Uint8Array).toString('utf8')).toBe('last');
});

it('status and headers go out at the end of their turn even when no body follows yet (as Lambda sends its prelude)', async () => {
  let release: () => void = () => undefined;
  script = (stream) => {
    stream.setPrelude({ statusCode: 201, headers: { 'x-prelude': 'yes' } });
    release = () => stream.end('body');
  };
  // fetch resolves on the headers: the body is written only after that.
  const response = await fetch(url);
  expect(response.status).toBe(201);
  expect(response.headers.get('x-prelude')).toBe('yes');
  release();
  expect(await response.text()).toBe('body');
});

it('an answer written in one turn, with its headers and the end, leaves in one socket write', async () => {
  let writes: { count: () => number } | undefined;
  script = (stream, res) => {
    writes = countWrites(res.socket as Socket);
    stream.setPrelude({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    stream.write('{"a":');
    stream.write('1}');
    stream.end();
  };
  const response = await fetch(url);
  expect(await response.json()).toEqual({ a: 1 });
  expect(writes?.count()).toBe(1);
});

it('an answer written as Middy writes a string body — 16 KB slices in one turn, waiting for drain — arrives whole past 80 KB', async () => {
  const body = Array.from({ length: 200_000 }, (_, n) => String.fromCharCode(97 + (n % 26))).join('');
  script = (stream) => {
    stream.setPrelude({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    void (async () => {
      for (let at = 0; at < body.length; at += 16_384) {
        if (!stream.write(body.slice(at, at + 16_384))) await once(stream, 'drain');
      }
      stream.end();
    })();
  };
  const response = await fetch(url);
  expect(await response.text()).toBe(body);
});

it('a response whose client left before the stream was made gives a stream already destroyed (its handler can stop at once)', async () => {
  let destroyed: (value: boolean) => void = () => undefined;
  const seen = new Promise<boolean>((resolve) => (destroyed = resolve));
  script = (_stream, res) => {
    // The handler is reached only after the client has gone, as when it leaves during the edge's checks.
    res.once('close', () => destroyed(new SocketResponseStream(res).destroyed));
  };
  const sent = request(url, { method: 'POST' });
  sent.on('error', () => undefined);
  sent.end('{}');
  sent.once('socket', (socket) => socket.once('connect', () => setImmediate(() => sent.destroy())));
  expect(await seen).toBe(true);
});
