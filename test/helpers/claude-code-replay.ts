import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatFixture, type ChatFixture } from './chat-gateway.js';
import type { FakeServer } from '../fakes/fake-server.js';

/**
 * Claude Code's own requests, as captured (test/fixtures/claude-code/, text replaced by filler of the same length),
 * replayed against a gateway whose alias is named like the real model: POST /v1/messages?beta=true with the captured
 * headers (anthropic-version, anthropic-beta…) and the gateway key as x-api-key (ANTHROPIC_API_KEY).
 */
export interface Capture {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}
export const CAPTURES = ['messages-one-prompt', 'messages-tool-result-turn'] as const;
export const capture = (name: string): Capture =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/claude-code', `${name}.json`), 'utf8')) as Capture;

export const ALIAS = 'claude-sonnet-4-6';
export const aliasTo = (type: 'openai' | 'anthropic') => ({
  models: { [ALIAS]: { targets: [{ provider: 'upstream', model: `${type}-upstream-model` }], retry: { attempts: 1 } } },
});

export async function replay(
  fixture: ChatFixture<Pick<FakeServer<unknown, unknown>, 'url' | 'apiKey' | 'requests' | 'close'>>,
  name: string,
) {
  const { url, headers, body } = capture(name);
  expect(url).toBe('/v1/messages?beta=true');
  expect(body.model).toBe(ALIAS);
  const res = await fetch(`${fixture.gateway.url}${url}`, {
    method: 'POST',
    headers: { ...headers, 'x-api-key': fixture.gateway.devKey.key },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  expect({ status: res.status, text: res.status === 200 ? '' : text }).toEqual({ status: 200, text: '' });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(text).toContain('event: message_stop');
  return { res, capture: capture(name) };
}

/** Every key anywhere in a JSON value. */
export function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      keysOf(inner, into);
    }
  }
  return into;
}

/** A gateway whose alias ALIAS goes to one fake upstream of `type`, for one test file. */
export const replayFixture = <F extends Pick<FakeServer<unknown, unknown>, 'url' | 'apiKey' | 'requests' | 'close'>>(
  type: 'openai' | 'anthropic',
  start: () => Promise<F>,
) => chatFixture(type, start, undefined, aliasTo(type));
