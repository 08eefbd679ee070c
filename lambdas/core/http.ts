import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * Headers every response carries, whoever answers (a function, the local edge, API Gateway's gateway responses):
 * `nosniff` stops a browser from reading a JSON error or an event stream as HTML or script.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff' };

/** Header lookup that ignores case, as HTTP does (API Gateway keeps the client's spelling). */
export function header(
  event: { readonly headers: Readonly<Record<string, string | undefined>> | null | undefined },
  name: string,
): string | undefined {
  // Should the event hold the name in several spellings, the last of them counts, whichever spelling is asked for
  // (as `headers` holds the last value of a repeated header). The local event holds one spelling per name
  // (local/proxy-event.ts).
  const wanted = name.toLowerCase();
  let found: string | undefined;
  // for…in over own keys rather than Object.entries: no array of pairs per lookup (several lookups per request).
  const headers = event.headers ?? {};
  for (const key in headers) {
    if (!Object.hasOwn(headers, key)) continue;
    const value = headers[key];
    if (value !== undefined && key.toLowerCase() === wanted) found = value;
  }
  return found;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
