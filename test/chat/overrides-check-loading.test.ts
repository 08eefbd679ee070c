import type { ChatRequest } from '../../lambdas/api/chat-schemas.js';
import { checkChatRequest } from '../../lambdas/api/chat-request-check.js';
import type { Principal } from '../../lambdas/auth/principal.js';
import { overridesCheckLoading, resolveTargets } from '../../lambdas/chat/resolve.js';
import { parseConfig } from '../../lambdas/config/load.js';

// A plain chat body passes the zod-free check without loading the chat schemas; an alias's overrides still need the
// schema, so the chat service waits for overridesCheckLoading before resolving (this file loads no schema itself).
const withOverrides = parseConfig(
  JSON.stringify({
    providers: { echo: { type: 'echo' } },
    models: { tuned: { targets: [{ provider: 'echo', model: 'echo-1', params: { temperature: 0.2 } }] } },
  }),
  'test',
);
const without = parseConfig(
  JSON.stringify({
    providers: { echo: { type: 'echo' } },
    models: { plain: { targets: [{ provider: 'echo', model: 'echo-1' }] } },
  }),
  'test',
);
const principal: Principal = { tenant: 't', keyId: 'k', plan: 'default', scopes: ['chat'], models: null };
const request = { model: 'tuned', messages: [{ role: 'user', content: 'hi' }] } as ChatRequest;

describe('overridesCheckLoading', () => {
  it('nothing to wait for where no alias has overrides', () => {
    expect(overridesCheckLoading(without)).toBeUndefined();
  });

  it('loads the chat request check that resolving overrides needs, once', async () => {
    expect(() => checkChatRequest(request)).toThrow(/not loaded/);
    const loading = overridesCheckLoading(withOverrides);
    expect(loading).toBeDefined();
    await loading;
    expect(overridesCheckLoading(withOverrides)).toBeUndefined();
    expect(resolveTargets(withOverrides, principal, request).targets[0]?.request.temperature).toBe(0.2);
  });
});
