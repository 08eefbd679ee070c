/** A request to the admin API, before authentication: what the signer signs and fetch sends. */
export interface OutgoingRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Adds the credentials to a request: the headers to send. */
export type Authenticate = (request: OutgoingRequest) => Promise<Record<string, string>>;

/** RFC 3986 percent-encoding (encodeURIComponent leaves !'()* alone; SigV4 does not). */
export const encodeRfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
