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
  const headers = event.headers ?? {};
  const exact = headers[name];
  if (exact !== undefined) return exact;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) return headers[key];
  }
  return undefined;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
