import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** An HTTP answer, read whole. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What a call rejects with when its abort signal fires (the AWS SDK's name for it). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return Object.assign(new Error(reason instanceof Error ? reason.message : 'Request aborted', { cause: reason }), {
    name: 'AbortError',
  });
}

/** A keep-alive agent for the endpoint's protocol (one per client: its sockets are the client's). */
export const agentFor = (url: URL): HttpAgent | HttpsAgent =>
  url.protocol === 'http:'
    ? new HttpAgent({ keepAlive: true, maxSockets: 50, scheduling: 'lifo' })
    : new HttpsAgent({ keepAlive: true, maxSockets: 50, scheduling: 'lifo' });

/**
 * One POST over node:http(s) (http for an `http:` endpoint), its answer read whole. Network errors reject with
 * Node's error (its `code`: ECONNRESET, EPIPE, …); an answer cut before its end rejects with ECONNRESET. The signal
 * aborts the exchange at any point (AbortError).
 */
export function post(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  agent: HttpAgent | HttpsAgent,
  signal: AbortSignal | undefined,
): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    let settled = false;
    const finish = (err: Error | undefined, answer?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err === undefined && answer !== undefined) resolve(answer);
      else reject(err ?? new Error('no answer'));
    };
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.complete)
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      const cut = (): void =>
        finish(Object.assign(new Error('the answer was cut before its end'), { code: 'ECONNRESET' }));
      res.on('error', cut);
      res.on('close', () => {
        if (!res.complete) cut();
      });
    });
    const onAbort = (): void => {
      if (signal !== undefined) finish(abortError(signal));
      req.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => finish(err));
    req.end(body);
  });
}
