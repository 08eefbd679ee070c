import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A request Claude Code 2.1.332 sent, as the capture server recorded it (its text replaced by filler of the same length). */
export interface Capture {
  readonly method: string;
  /** Path and query, e.g. /v1/messages/count_tokens?beta=true. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown>;
}

export const CAPTURES_DIR = fileURLToPath(new URL('../fixtures/claude-code/', import.meta.url));

export const readCapture = (name: string): Capture =>
  JSON.parse(readFileSync(join(CAPTURES_DIR, `${name}.json`), 'utf8')) as Capture;

/**
 * Replays a capture against a gateway as Claude Code sent it: its method, path and query, its headers, with the
 * gateway key as `x-api-key` (ANTHROPIC_API_KEY) or `Authorization: Bearer` (ANTHROPIC_AUTH_TOKEN), and its body.
 */
export function replay(
  capture: Capture,
  gatewayUrl: string,
  key: { readonly header: 'x-api-key' | 'bearer'; readonly value: string },
): Promise<Response> {
  const auth = key.header === 'x-api-key' ? { 'x-api-key': key.value } : { authorization: `Bearer ${key.value}` };
  return fetch(`${gatewayUrl}${capture.url}`, {
    method: capture.method,
    headers: { ...capture.headers, ...auth },
    body: JSON.stringify(capture.body),
  });
}
