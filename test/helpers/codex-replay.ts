import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatFixture } from './chat-gateway.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { APPLY_PATCH_TEXT } from './codex.js';

/**
 * Codex 0.171.0's own requests, as captured (test/fixtures/codex/, text replaced by filler of the same length),
 * replayed with their headers (originator, session-id, thread-id, x-codex-*…) on both backends. A model name Codex
 * knows (gpt-5.5): function, custom (apply_patch), tool_search and web_search tools, reasoning.effort, text.verbosity;
 * one it does not know (team-coder): function, namespace and web_search tools, reasoning.summary. Turn 2 carries the
 * function_call and its function_call_output. The upstream must answer with a stream. Custom and namespace tools
 * reach the upstream as function tools (a namespace's under qualified names); hosted tools are dropped and named.
 * `patchCall`: a script of the upstream calling apply_patch (`{"input": APPLY_PATCH_TEXT}`).
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

type Fixture<S> = ChatFixture<
  Pick<FakeServer<S, { body: unknown }>, 'url' | 'apiKey' | 'requests' | 'close' | 'enqueue'>
>;
const HOSTED = new Set(['web_search', 'tool_search']);
const ANTHROPIC_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

interface SseEvent {
  readonly type: string;
  readonly delta?: string;
  readonly item?: { type: string; name?: string; input?: string; call_id?: string };
}
const eventsOf = (text: string): SseEvent[] =>
  text
    .split('\n\n')
    .flatMap((block) => /^data: (.*)$/m.exec(block)?.[1] ?? [])
    .map((data) => JSON.parse(data) as SseEvent);

const replay = async <S>(fixture: Fixture<S>, body: unknown, headers: Record<string, string>) =>
  fetch(`${fixture.gateway.url}/v1/responses`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${fixture.gateway.devKey.key}` },
    body: JSON.stringify(body),
  });

/**
 * The replay tests, one per capture, against a fixture whose aliases are codexModels(…). `runsHosted`: the target runs
 * the hosted tools Codex offers (OpenAI's Responses lane), so none is named as dropped.
 */
export function replayCaptures<S>(fixture: Fixture<S>, patchCall: S, runsHosted = false): void {
  it.each(CAPTURES)('%s: a 200 Responses stream ending in response.completed', async (name) => {
    const { url, headers, body } = capture(name);
    expect(url).toBe('/v1/responses');
    const res = await replay(fixture, body, headers);
    const text = await res.text();
    expect({ status: res.status, text: res.status === 200 ? '' : text }).toEqual({ status: 200, text: '' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(text).toContain('event: response.completed');
    const offered = [...new Set(body.tools.map((tool) => tool.type))];
    const ignored = res.headers.get('x-gateway-ignored') ?? '';
    for (const type of offered) {
      if (HOSTED.has(type) && !runsHosted) expect(ignored).toContain(`tools[${type}]`);
      else expect(ignored).not.toContain(`tools[${type}]`);
    }
    const upstream = JSON.stringify(fixture.fake.requests[0]?.body);
    if (offered.includes('custom')) expect(upstream).toContain('"apply_patch"');
    if (offered.includes('namespace')) expect(upstream).toContain('"multi_agent_v1__spawn_agent"');
    const names = [...upstream.matchAll(/"name":"([^"]*)"/g)].map((match) => match[1]);
    for (const name of names) expect(name).toMatch(ANTHROPIC_TOOL_NAME);
    const output = body.input.find((item) => item.type === 'function_call_output')?.output;
    if (output !== undefined) expect(JSON.stringify(fixture.fake.requests[0]?.body)).toContain(JSON.stringify(output));
  });

  it('known-model-shell-turn-1, the model calling apply_patch: a streamed custom_tool_call', async () => {
    const { headers, body } = capture('known-model-shell-turn-1');
    fixture.fake.enqueue(patchCall);
    const res = await replay(fixture, body, headers);
    const text = await res.text();
    expect({ status: res.status, text: res.status === 200 ? '' : text }).toEqual({ status: 200, text: '' });
    const events = eventsOf(text);
    const deltas = events.filter((event) => event.type === 'response.custom_tool_call_input.delta');
    expect(deltas.map((event) => event.delta).join('')).toBe(APPLY_PATCH_TEXT);
    const done = events.find((event) => event.type === 'response.output_item.done' && event.item?.type !== 'message');
    expect(done?.item).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch', input: APPLY_PATCH_TEXT });
    expect(events.at(-1)?.type).toBe('response.completed');
  });
}
