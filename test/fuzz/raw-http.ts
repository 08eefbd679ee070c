import { connect } from 'node:net';

/** One HTTP/1.1 request as bytes, sent as given: methods, targets, headers and lengths are not normalised. */
export interface RawRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  /** How the body's length is told: exact Content-Length, a lie either way, chunked (or a broken chunk), none. */
  readonly framing: 'length' | 'length-short' | 'length-long' | 'chunked' | 'chunked-broken' | 'none';
}

export interface RawResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  /** Whether the whole body came: the last chunk, or Content-Length bytes (without either: known at close only). */
  readonly complete: boolean;
}

function encode(request: RawRequest): Buffer {
  const head = [`${request.method} ${request.target} HTTP/1.1`, 'Host: fuzz.local', 'Connection: close'];
  for (const [name, value] of request.headers) head.push(`${name}: ${value}`);
  const { body } = request;
  let payload = body;
  switch (request.framing) {
    case 'length':
      head.push(`Content-Length: ${body.length}`);
      break;
    case 'length-short':
      head.push(`Content-Length: ${Math.max(0, body.length - 1 - Math.floor(body.length / 2))}`);
      break;
    case 'length-long':
      head.push(`Content-Length: ${body.length + 17}`);
      break;
    case 'chunked':
      head.push('Transfer-Encoding: chunked');
      payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      break;
    case 'chunked-broken':
      head.push('Transfer-Encoding: chunked');
      payload = Buffer.concat([
        Buffer.from(`${(body.length + 5).toString(16)}zz\r\n`),
        body,
        Buffer.from('\r\n0\r\n\r\n'),
      ]);
      break;
    case 'none':
      payload = Buffer.alloc(0);
      break;
  }
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}

/** The body of a chunked answer, and whether its last chunk came. */
function dechunk(body: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const end = body.indexOf('\r\n', at);
    if (end < 0) break;
    const size = parseInt(body.subarray(at, end).toString('latin1'), 16);
    if (!Number.isFinite(size)) break;
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    if (end + 2 + size > body.length) break;
    parts.push(body.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return { body: Buffer.concat(parts), complete: false };
}

/** The first response in `bytes`, or undefined when there is none (the connection closed first). */
export function parseResponse(bytes: Buffer): RawResponse | undefined {
  // Interim answers (100 Continue to an Expect header) come before the real one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 13).toString('latin1'))) {
    const end = bytes.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    bytes = bytes.subarray(end + 4);
  }
  const split = bytes.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const rest = bytes.subarray(split + 4);
  const length = headers.get('content-length');
  if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') return { status, headers, ...dechunk(rest) };
  if (length === undefined) return { status, headers, body: rest, complete: false };
  return { status, headers, body: rest.subarray(0, Number(length)), complete: rest.length >= Number(length) };
}

/**
 * Sends `request` on a fresh connection and collects what comes back until the answer is complete, the server closes
 * the connection (the request says `Connection: close`) or `timeoutMs` passes.
 */
export function sendRaw(
  port: number,
  request: RawRequest,
  timeoutMs: number,
): Promise<{ response: RawResponse | undefined; timedOut: boolean; received: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(chunks);
      resolve({ response: parseResponse(bytes), timedOut, received: bytes.length });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A complete answer is enough: whether the server then closes the connection is not the question here.
      if (parseResponse(Buffer.concat(chunks))?.complete === true) finish(false);
    });
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
    // A body announced longer than it is, or a broken chunk, ends the client's side: else the server would wait for
    // the rest (Node's parser waits, for one, on a broken chunk after an Upgrade header). Any other request keeps it
    // open, as a client waiting for its answer does.
    if (request.framing === 'length-long' || request.framing === 'chunked-broken') socket.end(encode(request));
    else socket.write(encode(request));
  });
}
