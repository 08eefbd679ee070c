/**
 * The answer of a buffered (non-stream) upstream call as the provider SDKs read it: status, headers and the body as
 * text or JSON. A Fetch `Response` over a Buffer costs ~0.1 ms per request in Node (it wraps the bytes in a web
 * stream and reads them back); the SDKs only call what is here on a non-stream answer (openai and
 * @anthropic-ai/sdk: status, ok, url, headers, body, bodyUsed, text(), json(); arrayBuffer() for binary answers).
 * Event streams still get a real Response (lambdas/providers/node-fetch.ts).
 */
export class BufferedResponse {
  readonly ok: boolean;
  /** No web stream: the bytes are here already (the SDKs treat a null body as nothing to cancel). */
  readonly body = null;
  private used = false;

  constructor(
    private readonly bytes: Buffer,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  // async: a second read rejects, as with fetch, rather than throwing.
  async text(): Promise<string> {
    return this.take().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  /** A body is read once, as with fetch. */
  private take(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes;
  }

  /** The SDKs' type for what fetch returns; they use only the members above (see the class comment). */
  asResponse(): Response {
    return this as unknown as Response;
  }
}
