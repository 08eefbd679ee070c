import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatFixture } from './chat-gateway.js';
import type { FakeServer } from '../fakes/fake-server.js';

/**
 * Codex 0.171.0's own requests, as captured (test/fixtures/codex/, text replaced by filler of the same length),
 * replayed with their headers (originator, session-id, thread-id, x-codex-*…) on both backends. A model name Codex
 * knows (gpt-5.5): function, custom (apply_patch), tool_search and web_search tools, reasoning.effort, text.verbosity;
 * one it does not know (team-coder): function, namespace and web_search tools, reasoning.summary. Turn 2 carries the
 * function_call and its function_call_output. The upstream must answer with a stream.
 */

interface Capture {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: { model: string; tools: { type: string }[]; input: { type?: string; output?: string }[] };
}
const capture = (name: string): Capture =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/codex', `${name}.json`), 'utf8')) as Capture;
const CAPTURES = [
  'known-model-shell-turn-1',
  'known-model-shell-turn-2',
  'unknown-model-shell-turn-1',
  'unknown-model-shell-turn-2',
] as const;

type Fixture = ChatFixture<Pick<FakeServer<unknown, { body: unknown }>, 'url' | 'apiKey' | 'requests' | 'close'>>;

/** The replay tests, one per capture, against a fixture whose aliases are codexModels(…). */
export function replayCaptures(fixture: Fixture): void {
  it.each(CAPTURES)('%s: a 200 Responses stream ending in response.completed', async (name) => {
    const { url, headers, body } = capture(name);
    expect(url).toBe('/v1/responses');
    const res = await fetch(`${fixture.gateway.url}${url}`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${fixture.gateway.devKey.key}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect({ status: res.status, text: res.status === 200 ? '' : text }).toEqual({ status: 200, text: '' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(text).toContain('event: response.completed');
    const offered = [...new Set(body.tools.map((tool) => tool.type).filter((type) => type !== 'function'))];
    const ignored = res.headers.get('x-gateway-ignored') ?? '';
    for (const type of offered) expect(ignored).toContain(`tools[${type}]`);
    const output = body.input.find((item) => item.type === 'function_call_output')?.output;
    if (output !== undefined) expect(JSON.stringify(fixture.fake.requests[0]?.body)).toContain(JSON.stringify(output));
  });
}
