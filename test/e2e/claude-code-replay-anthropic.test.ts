import Anthropic from '@anthropic-ai/sdk';
import { reply, startFakeAnthropic, textEvents } from '../fakes/fake-anthropic.js';
import { list, record } from '../helpers/agent-loop.js';
import { ALIAS, CAPTURES, capture, replay, replayFixture } from '../helpers/claude-code-replay.js';

// Claude Code's own requests, replayed as captured (test/fixtures/claude-code/, text replaced by filler of the same
// length): POST /v1/messages?beta=true with its anthropic-version and anthropic-beta headers, streaming, cache
// breakpoints, adaptive thinking, context_management, output_config.effort, a deferred tool, a thinking block with
// its signature. The gateway key goes as x-api-key (ANTHROPIC_API_KEY); the model is an alias named like the real
// model. On an Anthropic-backed alias all of it reaches the upstream; on an OpenAI-backed one the answer names what
// was dropped and the upstream body holds no Anthropic-only field.

const anthropic = replayFixture('anthropic', () => startFakeAnthropic());

describe('Anthropic-backed alias', () => {
  it.each(CAPTURES)('%s: accepted, and everything reaches the upstream as sent', async (name) => {
    anthropic.fake.enqueue(reply.stream(textEvents('Done.')));
    const { res, capture: sent } = await replay(anthropic, name);
    expect(res.headers.get('x-gateway-ignored')).toBeNull();
    const request = anthropic.fake.requests[0];
    expect(request?.headers['anthropic-beta']).toBe(sent.headers['anthropic-beta']);
    const upstream = record(request?.body);
    expect(upstream).toMatchObject({
      model: 'anthropic-upstream-model',
      max_tokens: sent.body.max_tokens,
      stream: true,
      system: sent.body.system,
      messages: sent.body.messages,
      metadata: sent.body.metadata,
      thinking: { type: 'adaptive', display: 'omitted' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_config: { effort: 'high' },
    });
    const tools = list(upstream.tools).map(record);
    expect(tools.map((tool) => tool.name)).toEqual(list(sent.body.tools).map((tool) => record(tool).name));
    expect(tools.find((tool) => tool.defer_loading === true)?.name).toBe('DeferredToolPlaceholder');
    const system = list(upstream.system).map(record);
    expect(system.filter((block) => block.cache_control !== undefined)).toHaveLength(2);
  });

  it('the tool-result turn carries the thinking block with its signature and the tool_result breakpoint', async () => {
    anthropic.fake.enqueue(reply.stream(textEvents('Done.')));
    await replay(anthropic, 'messages-tool-result-turn');
    const messages = list(record(anthropic.fake.requests[0]?.body).messages).map(record);
    expect(list(messages[1]?.content)[0]).toEqual({
      type: 'thinking',
      thinking: 'lorem ipsum dolor',
      signature: 'sig-abc',
    });
    expect(list(messages[2]?.content)[0]).toMatchObject({ type: 'tool_result', cache_control: { type: 'ephemeral' } });
  });
});

describe('refusals an agent can show', () => {
  it("a server tool (Claude Code's WebSearch) on an Anthropic alias goes upstream as sent", async () => {
    const webSearch = { type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 8 };
    await new Anthropic({ baseURL: anthropic.gateway.url, apiKey: anthropic.gateway.devKey.key }).messages.create({
      model: ALIAS,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Search the web' }],
      tools: [webSearch],
    });
    expect(record(anthropic.fake.requests[0]?.body).tools).toEqual([webSearch]);
  });

  it('a malformed anthropic-beta header → 400 invalid_header', async () => {
    const { headers, body } = capture('messages-one-prompt');
    const res = await fetch(`${anthropic.gateway.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        ...headers,
        'anthropic-beta': 'claude-code-20250219,not a beta;',
        'x-api-key': anthropic.gateway.devKey.key,
      },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(record(record(await res.json()).error).details).toEqual({ error_code: 'invalid_header' });
    expect(anthropic.fake.requests).toHaveLength(0);
  });
});
