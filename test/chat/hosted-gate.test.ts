import { hostedDropped, hostedFor, hostedTargets } from '../../lambdas/chat/hosted-gate.js';
import type { ProviderConfig } from '../../lambdas/config/schema.js';
import { GatewayError } from '../../lambdas/core/errors.js';
import type { HostedTools } from '../../lambdas/providers/hosted-tools.js';

// Which targets run a request's provider-hosted tools: offered → dropped and named where missing; required (forced,
// or a Messages server tool) → the targets without it left out (a fallback that has it answers), none → 400.

const echo = { alias: 'team', provider: { type: 'echo' } as ProviderConfig };
const anthropic = { alias: 'team', provider: { type: 'anthropic' } as ProviderConfig };
const openai = { alias: 'team', provider: { type: 'openai' } as ProviderConfig };
const openaiChat = { alias: 'team', provider: { type: 'openai', api: 'chat' } as ProviderConfig };
const compatible = { alias: 'team', provider: { type: 'openai-compatible', baseURL: 'http://x' } as ProviderConfig };

const search = (required: boolean): HostedTools => ({
  format: 'responses',
  tools: [{ type: 'web_search', spec: { type: 'web_search', search_context_size: 'low' }, required }],
  ...(required ? { forced: 'web_search' } : {}),
});
const serverTool: HostedTools = {
  format: 'messages',
  tools: [{ type: 'web_search_20250305', spec: { type: 'web_search_20250305', name: 'web_search' }, required: true }],
};

it('offered: every target stays; those without it drop it and name it', () => {
  expect(hostedTargets([echo, anthropic], search(false))).toEqual([echo, anthropic]);
  expect(hostedDropped(echo.provider, search(false))).toEqual(['tools[web_search]']);
  expect(hostedDropped(openai.provider, search(false))).toEqual([]);
  // Anthropic runs it as web_search_20250305; what has no equivalent is named.
  expect(hostedDropped(anthropic.provider, search(false))).toEqual(['tools[web_search].search_context_size']);
  expect(hostedFor(compatible.provider, search(false))).toBeUndefined();
  expect(hostedFor(openaiChat.provider, search(false))).toBeUndefined();
});

it('required: the targets without it are left out, so a fallback that has it answers', () => {
  expect(hostedTargets([echo, anthropic, compatible], search(true))).toEqual([anthropic]);
  expect(hostedTargets([openaiChat, openai], search(true))).toEqual([openai]);
  expect(hostedFor(anthropic.provider, search(true))?.forced).toBe('web_search');
  expect(hostedTargets([echo, anthropic], serverTool)).toEqual([anthropic]);
  // A Messages server tool on /v1/responses' native lane is not a thing: OpenAI does not run Messages server tools.
  expect(hostedFor(openai.provider, serverTool)).toBeUndefined();
});

it('required and no target runs it: 400 unsupported_tool naming the tool and the alias', () => {
  for (const [targets, hosted] of [
    [[echo], serverTool],
    [[echo, compatible, openaiChat], search(true)],
  ] as const) {
    let error: unknown;
    try {
      hostedTargets(targets, hosted);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, code: 'unsupported_tool', param: 'tools' });
    expect((error as GatewayError).message).toMatch(
      /^tools\[web_search\] is a hosted tool the targets? of alias "team"/,
    );
  }
});
