import type { IncomingMessage } from 'node:http';

/**
 * An upstream answer as the provider SDKs read it, without a Fetch `Response`: status, headers, and the body as
 * text, JSON or bytes, once. A Fetch Response costs ~0.1 ms per request in Node (a web stream over the bytes, read
 * back through it); the SDKs use only these members (openai and @anthropic-ai/sdk: status, ok, url, headers, body,
 * bodyUsed, text(), json(); arrayBuffer() for binary answers), and both read an async-iterable body as it is.
 */
abstract class NodeResponse {
  readonly ok: boolean;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  abstract get bodyUsed(): boolean;

  /** The whole body; a second read rejects, as with fetch. */
  protected abstract bytes(): Promise<Buffer>;

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  /** The SDKs' type for what fetch returns; they use only the members above (see the class comment). */
  asResponse(): Response {
    return this as unknown as Response;
  }
}

const alreadyRead = (): TypeError => new TypeError('Body is unusable: Body has already been read');

/** A non-stream answer, read whole before it is handed on: the SDKs parse it at once anyway. */
export class BufferedResponse extends NodeResponse {
  /** No web stream: the bytes are here already (the SDKs treat a null body as nothing to cancel). */
  readonly body = null;
  private used = false;

  constructor(
    private readonly buffered: Buffer,
    status: number,
    statusText: string,
    headers: Headers,
    url: string,
  ) {
    super(status, statusText, headers, url);
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  protected async bytes(): Promise<Buffer> {
    if (this.used) throw alreadyRead();
    this.used = true;
    return this.buffered;
  }
}

/**
 * The body of an event stream as the SDKs iterate it: the upstream's Node stream, piece by piece. Ending the
 * iteration early (the SDK stops at `data: [DONE]`, or cancels) keeps the keep-alive connection when the upstream
 * answer is already complete — the rest is drained — and destroys the stream otherwise. Node's own iterator would
 * destroy it in both cases, and so cost a new connection per stream.
 */
function eventStreamBody(message: IncomingMessage): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Buffer> {
      const pieces = message.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
      return {
        next(): Promise<IteratorResult<Buffer>> {
          // The SDKs race a read against their abort signal and may leave it behind: its failure is theirs to
          // ignore, not an unhandled rejection.
          const read = pieces.next();
          read.catch(() => undefined);
          return read;
        },
        async return(): Promise<IteratorResult<Buffer>> {
          // Stopping is not a failure, even when the SDK's abort already failed the stream.
          await pieces.return?.().catch(() => undefined);
          if (message.complete) message.resume();
          else message.destroy();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/**
 * An event stream: the body is read as it arrives (the SDKs' SSE readers take any async iterable), with no web
 * stream in between: each piece is one Buffer handed on, not a chain of promises per read.
 */
export class StreamedResponse extends NodeResponse {
  readonly body: AsyncIterable<Buffer>;

  constructor(
    private readonly message: IncomingMessage,
    status: number,
    statusText: string,
    headers: Headers,
    url: string,
  ) {
    super(status, statusText, headers, url);
    this.body = eventStreamBody(message);
    // A stream aborted or cut after its reader is gone still emits 'error': readers see it through their
    // iteration; without a listener of its own it would be an uncaught exception.
    message.on('error', () => undefined);
  }

  get bodyUsed(): boolean {
    return this.message.readableDidRead || this.message.destroyed;
  }

  protected async bytes(): Promise<Buffer> {
    if (this.bodyUsed) throw alreadyRead();
    const chunks: Buffer[] = [];
    for await (const chunk of this.message) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
