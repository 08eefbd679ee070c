import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { list, record } from '../helpers/agent-loop.js';
import { CAPTURES, keysOf, replay, replayFixture } from '../helpers/claude-code-replay.js';

// Claude Code's own requests, replayed as captured (test/fixtures/claude-code/, text replaced by filler of the same
// length): POST /v1/messages?beta=true with its anthropic-version and anthropic-beta headers, streaming, cache
// breakpoints, adaptive thinking, context_management, output_config.effort, a deferred tool, a thinking block with
// its signature. The gateway key goes as x-api-key (ANTHROPIC_API_KEY); the model is an alias named like the real
// model. On an Anthropic-backed alias all of it reaches the upstream; on an OpenAI-backed one the answer names what
// was dropped and the upstream body holds no Anthropic-only field.

const openai = replayFixture('openai', () => startFakeOpenAI());

describe('OpenAI-backed alias', () => {
  const ANTHROPIC_ONLY = [
    'cache_control',
    'thinking',
    'context_management',
    'defer_loading',
    'thinking_blocks',
    'top_k',
    'eager_input_streaming',
    'signature',
    'display',
  ];

  it.each(CAPTURES)(
    '%s: accepted; X-Gateway-Ignored names what was dropped; no Anthropic-only field upstream',
    async (name) => {
      openai.fake.enqueue(reply.stream(textChunks('Done.')));
      const { res } = await replay(openai, name);
      const ignored = (res.headers.get('x-gateway-ignored') ?? '').split(',');
      expect(ignored).toEqual(
        expect.arrayContaining(['cache_control', 'thinking', 'context_management', 'defer_loading']),
      );
      if (name === 'messages-tool-result-turn') expect(ignored).toContain('thinking_blocks');
      const upstream = record(openai.fake.requests[0]?.body);
      expect([...keysOf(upstream)].filter((key) => ANTHROPIC_ONLY.includes(key))).toEqual([]);
      expect(upstream).toMatchObject({ model: 'openai-upstream-model', reasoning_effort: 'high', stream: true });
      expect(list(upstream.tools)).toHaveLength(12);
    },
  );
});
