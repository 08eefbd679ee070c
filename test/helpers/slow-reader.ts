import { connect } from 'node:net';

/**
 * A raw HTTP/1.1 client that reads its answer slowly: it stops reading (the socket is paused, so the kernel's
 * buffers fill and the server's writes meet backpressure) for `pauseMs` after every `pauseEveryBytes` received.
 * The answer is read to the server's close (`Connection: close`) and its chunked encoding undone here.
 */
export interface SlowReadOptions {
  readonly pauseEveryBytes: number;
  readonly pauseMs: number;
}

export interface RawAnswer {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('chunked body cut short');
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

export function slowRequest(
  url: string,
  request: { method: string; headers: Readonly<Record<string, string>>; body?: string },
  options: SlowReadOptions,
): Promise<RawAnswer> {
  const target = new URL(url);
  const body = Buffer.from(request.body ?? '', 'utf8');
  const head = [
    `${request.method} ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    'Connection: close',
    `Content-Length: ${body.length}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const received: Buffer[] = [];
    let sinceBreak = 0;
    socket.on('data', (piece: Buffer) => {
      received.push(piece);
      sinceBreak += piece.length;
      if (sinceBreak >= options.pauseEveryBytes) {
        sinceBreak = 0;
        socket.pause();
        setTimeout(() => socket.resume(), options.pauseMs);
      }
    });
    socket.once('error', reject);
    socket.once('end', () => {
      socket.destroy();
      const raw = Buffer.concat(received);
      const split = raw.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error('no response head'));
      const [statusLine = '', ...lines] = raw.subarray(0, split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = raw.subarray(split + 4);
      try {
        resolve({
          status: Number(statusLine.split(' ')[1]),
          headers,
          body: headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest,
        });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    // Not ended: a client that half-closes its side is taken by Node's server as one that left.
    socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]));
  });
}
