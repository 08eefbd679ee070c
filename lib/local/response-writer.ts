import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { PreludeWritable, ResponsePrelude } from './awslambda-shim.js';

function headerMap(prelude: ResponsePrelude): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { ...prelude.headers };
  for (const [name, values] of Object.entries(prelude.multiValueHeaders ?? {})) out[name] = values;
  if (prelude.cookies !== undefined && prelude.cookies.length > 0) out['Set-Cookie'] = prelude.cookies;
  return out;
}

/** Writes a buffered handler's result as API Gateway would. */
export function writeResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(result.statusCode, headerMap(result as ResponsePrelude));
  res.end(body);
}

/**
 * The response stream a streaming handler writes to: status and headers go out when Middy calls
 * `HttpResponseStream.from`, then each write reaches the socket as it is produced. If the client goes away the
 * stream is destroyed, so the handler's pipeline fails and it can abort its upstream call.
 */
export class SocketResponseStream extends Writable implements PreludeWritable {
  constructor(private readonly res: ServerResponse) {
    super();
    res.on('close', () => {
      if (!res.writableFinished) this.destroy(new Error('client disconnected'));
    });
  }

  private flush: NodeJS.Immediate | undefined;

  /**
   * Status and headers leave at once, as Lambda sends its prelude — but a tick later, so that body bytes written in
   * the same tick (the usual case) share their packet.
   */
  setPrelude(prelude: ResponsePrelude): void {
    if (this.res.headersSent) return;
    this.res.writeHead(prelude.statusCode ?? 200, headerMap(prelude));
    this.flush = setImmediate(() => {
      this.flush = undefined;
      if (!this.res.writableEnded) this.res.flushHeaders();
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.res.headersSent) this.setPrelude({ headers: { 'Content-Type': 'application/octet-stream' } });
    if (chunk.length === 0) return callback();
    clearImmediate(this.flush);
    this.corkForThisTurn();
    // Accepted once the response has room (its own buffer, flushed as the socket drains), not once on the wire:
    // the next piece can then join this one in the same write.
    if (this.res.write(chunk)) callback();
    else this.res.once('drain', () => callback());
  }

  private uncorkAt: NodeJS.Immediate | undefined;

  /**
   * What is written in one turn of the event loop leaves in one write(2): the pieces of an event stream that arrived
   * together, or an answer and the end of its chunked encoding. Each piece is still on the wire before the loop
   * waits for anything else, so nothing is held back.
   */
  private corkForThisTurn(): void {
    if (this.uncorkAt !== undefined) return;
    this.res.cork();
    this.uncorkAt = setImmediate(() => this.releaseCork());
  }

  private releaseCork(): void {
    if (this.uncorkAt === undefined) return;
    clearImmediate(this.uncorkAt);
    this.uncorkAt = undefined;
    this.res.uncork();
  }

  override _final(callback: (error?: Error | null) => void): void {
    clearImmediate(this.flush);
    if (!this.res.headersSent) this.setPrelude({});
    // The response's pieces held by its cork go before the end of the chunked encoding (end() would send that first);
    // the socket, corked meanwhile, sends both in one write when end() uncorks it.
    if (this.uncorkAt !== undefined) {
      this.res.socket?.cork();
      this.releaseCork();
    }
    this.res.end(() => callback());
  }
}
