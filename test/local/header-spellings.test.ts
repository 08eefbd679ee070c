import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { header } from '../../lambdas/core/http.js';
import { toProxyEvent } from '../../local/proxy-event.js';

// One header sent in two spellings (`X-Request-Id` and `x-request-id`) is one header (HTTP names ignore case). The
// local event used to keep both entries, and header() preferred the exact spelling asked for: two readers asking in
// different spellings got different values. Now the local event has one entry per name (its first spelling; the last
// value in `headers`, all values in `multiValueHeaders`), and header() answers the same whatever spelling it is asked in.
let server: Server;
let port: number;
let event: APIGatewayProxyEvent | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    event = toProxyEvent(
      req,
      new URL(req.url ?? '/', 'http://local'),
      { resource: '/x', pathParameters: null, fn: 'f' },
      null,
    );
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends raw header lines (spellings as written) and returns the proxy event the local server built. */
async function eventFor(lines: readonly string[]): Promise<APIGatewayProxyEvent> {
  event = undefined;
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `GET /x HTTP/1.1\r\nHost: local\r\nConnection: close\r\n${lines.map((line) => `${line}\r\n`).join('')}\r\n`,
  );
  socket.resume();
  await new Promise((resolve) => socket.on('close', resolve));
  if (event === undefined) throw new Error('no event');
  return event;
}

const spellingsOf = (record: object, name: string): string[] =>
  Object.keys(record).filter((key) => key.toLowerCase() === name);

describe('a header sent in two spellings', () => {
  it('is one entry in the local event: the last value in headers, every value in multiValueHeaders', async () => {
    const sent = await eventFor(['X-Request-Id: first', 'x-request-id: second', 'X-REQUEST-ID: third']);
    expect(spellingsOf(sent.headers, 'x-request-id')).toEqual(['X-Request-Id']);
    expect(sent.headers['X-Request-Id']).toBe('third');
    expect(spellingsOf(sent.multiValueHeaders, 'x-request-id')).toEqual(['X-Request-Id']);
    expect(sent.multiValueHeaders['X-Request-Id']).toEqual(['first', 'second', 'third']);
    expect(['X-Request-Id', 'x-request-id', 'X-REQUEST-ID'].map((name) => header(sent, name))).toEqual([
      'third',
      'third',
      'third',
    ]);
  });

  it('header() answers the same whatever spelling it is asked in: the last spelling in the event', () => {
    const headers = { 'Idempotency-Key': 'a', 'idempotency-key': 'b' };
    expect(header({ headers }, 'Idempotency-Key')).toBe('b');
    expect(header({ headers }, 'idempotency-key')).toBe('b');
    expect(header({ headers }, 'IDEMPOTENCY-KEY')).toBe('b');
    expect(header({ headers: { 'content-type': 'application/json' } }, 'Content-Type')).toBe('application/json');
    expect(header({ headers: null }, 'Content-Type')).toBeUndefined();
    expect(header({ headers: { constructor: 'x' } }, 'toString')).toBeUndefined();
  });
});
