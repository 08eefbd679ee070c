import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { PreludeWritable, ResponsePrelude } from './awslambda-shim.js';
import { phaseMark } from '../lambdas/observability/phase-marks.js';

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
    // A client that left before the handler was called (during the edge's checks) closed the response already.
    if (res.destroyed && !res.writableFinished) this.destroy(new Error('client disconnected'));
    else {
      res.on('close', () => {
        if (!res.writableFinished) this.destroy(new Error('client disconnected'));
      });
    }
    // The client may leave while the handler is still working (waiting for the first token), before anything
    // listens to this stream: its pipeline sees the error when it starts; unheard, it would end the process.
    this.on('error', () => undefined);
  }

  /** The end of the current event-loop turn, when what was written in it leaves (see corkForThisTurn). */
  private uncorkAt: NodeJS.Immediate | undefined;
  /** Status and headers are set but no body has followed them yet. */
  private headOnly = false;

  /**
   * Status and headers leave at once, as Lambda sends its prelude — at the end of this turn, so that body bytes
   * written in the same turn (the usual case) share their write.
   */
  setPrelude(prelude: ResponsePrelude): void {
    if (this.res.headersSent) return;
    phaseMark?.('prelude');
    this.res.writeHead(prelude.statusCode ?? 200, headerMap(prelude));
    this.headOnly = true;
    this.corkForThisTurn();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.res.headersSent) this.setPrelude({ headers: { 'Content-Type': 'application/octet-stream' } });
    if (chunk.length === 0) return callback();
    this.headOnly = false;
    this.corkForThisTurn();
    // Accepted once the response has room (its own buffer, flushed as the socket drains), not once on the wire:
    // the next piece can then join this one in the same write. When it has none, the piece is accepted once it has
    // reached the socket (its write's callback), not on the response's 'drain': while corked, the response keeps its
    // pieces in a buffer of its own and says "full" past its high-water mark, but it emits 'drain' only when the
    // socket does — and a socket that never filled never does, which left answers over ~80 KB hanging.
    let accepted = false;
    const accept = (error?: Error | null): void => {
      if (accepted) return;
      accepted = true;
      callback(error);
    };
    if (this.res.write(chunk, accept)) accept();
  }

  /**
   * What is written in one turn of the event loop leaves in one write(2): the headers and the first piece, the
   * pieces of an event stream that arrived together, or an answer and the end of its chunked encoding. Each piece is
   * still on the wire before the loop waits for anything else, so nothing is held back.
   */
  private corkForThisTurn(): void {
    if (this.uncorkAt !== undefined) return;
    this.res.cork();
    this.uncorkAt = setImmediate(() => this.releaseCork(true));
  }

  /** Sends what the turn held; at the turn's end, headers without a body yet go out on their own. */
  private releaseCork(endOfTurn: boolean): void {
    if (this.uncorkAt === undefined) return;
    clearImmediate(this.uncorkAt);
    this.uncorkAt = undefined;
    phaseMark?.('uncork (bytes to socket)');
    if (endOfTurn && this.headOnly && !this.res.writableEnded) this.res.flushHeaders();
    this.headOnly = false;
    this.res.uncork();
  }

  override _final(callback: (error?: Error | null) => void): void {
    phaseMark?.('final');
    if (!this.res.headersSent) this.setPrelude({});
    // The response's pieces held by its cork go before the end of the chunked encoding (end() would send that first);
    // the socket, corked meanwhile, sends both in one write when end() uncorks it.
    if (this.uncorkAt !== undefined) {
      this.res.socket?.cork();
      this.releaseCork(false);
    }
    this.res.end(() => {
      phaseMark?.('client end written');
      callback();
    });
  }
}
