import { displayUrl, type Endpoint } from './endpoint.js';
import { CliError } from './errors.js';
import { encodeRfc3986, type Authenticate, type OutgoingRequest } from './outgoing-request.js';

export interface ApiCall {
  readonly method: 'GET' | 'POST';
  /** Below the base URL, e.g. `/admin/keys`; segments already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
}

export interface ApiResponse {
  readonly status: number;
  /** The parsed JSON, or the text when the body is not JSON. */
  readonly body: unknown;
}

export type Send = (call: ApiCall) => Promise<ApiResponse>;

export const TIMEOUT_MS = 30_000;

/** The code of a network failure (`ECONNREFUSED`, `ENOTFOUND`, ...) that fetch wraps in its `cause`. */
function networkCode(err: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (jest), where instanceof Error fails.
  const { cause, message } = (typeof err === 'object' && err !== null ? err : {}) as {
    cause?: unknown;
    message?: unknown;
  };
  if (typeof cause === 'object' && cause !== null) {
    const { code, message: causeMessage } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof causeMessage === 'string') return causeMessage;
  }
  return typeof message === 'string' ? message : String(err);
}

function requestFor(endpoint: Endpoint, call: ApiCall): OutgoingRequest {
  const url = new URL(endpoint.baseUrl);
  url.pathname = `${endpoint.baseUrl.pathname.replace(/\/+$/, '')}${call.path}`;
  const query = Object.entries(call.query ?? {}).map(
    ([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`,
  );
  url.search = query.length > 0 ? `?${query.join('&')}` : '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.body === undefined) return { method: call.method, url, headers };
  headers['content-type'] = 'application/json';
  return { method: call.method, url, headers, body: JSON.stringify(call.body) };
}

/** Sends admin API calls to `endpoint`, authenticated; network failures become CliErrors that say what to do. */
export function transport(endpoint: Endpoint, authenticate: Authenticate, fetchImpl: typeof fetch): Send {
  const where = displayUrl(endpoint.baseUrl);
  return async (call) => {
    const request = requestFor(endpoint, call);
    const headers = await authenticate(request);
    let response: Response;
    try {
      response = await fetchImpl(request.url, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      if ((err as { name?: unknown } | null)?.name === 'TimeoutError') {
        throw new CliError(`the gateway at ${where} did not answer within ${TIMEOUT_MS / 1000} s`);
      }
      const hint =
        endpoint.kind === 'local'
          ? 'start it with `npm start`, or point --url (or GATEWAY_URL) at a running gateway'
          : 'check the URL (--url or GATEWAY_URL) and your network';
      throw new CliError(`the gateway at ${where} is not reachable (${networkCode(err)}); ${hint}`);
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page, say): keep the text for the error message.
    }
    return { status: response.status, body };
  };
}
