import { requestSchemaLoaders } from '../../lambdas/api/request-schema-loaders.js';
import type { ChatRequest } from '../../lambdas/api/chat-schemas.js';
import type { Principal } from '../../lambdas/auth/principal.js';
import { resolveTargets } from '../../lambdas/chat/resolve.js';
import { parseConfig } from '../../lambdas/config/load.js';
import { GatewayError } from '../../lambdas/core/errors.js';

const config = parseConfig(
  JSON.stringify({
    providers: { echo: { type: 'echo' } },
    models: {
      tuned: { targets: [{ provider: 'echo', model: 'echo-1', params: { temperature: 0.2 } }] },
      broken: { targets: [{ provider: 'echo', model: 'echo-1', params: { temperature: 'hot' } }] },
    },
  }),
  'test',
);
const principal: Principal = { tenant: 't', keyId: 'k', plan: 'default', scopes: ['chat'], models: null };
const request = (model: string): ChatRequest => ({ model, messages: [{ role: 'user', content: 'hi' }] }) as ChatRequest;

// The chat handler imports no schema (no zod at init): resolve.ts checks an alias's overrides with the chat request
// schema that the route's first request loaded (api/request-schema-loaders.ts), here the Anthropic-format route's.
beforeAll(async () => {
  await requestSchemaLoaders.createMessage?.();
});

describe("an alias's parameter overrides, checked with the lazily loaded chat request schema", () => {
  it('applies them', () => {
    const { targets } = resolveTargets(config, principal, request('tuned'));
    expect(targets[0]?.request.temperature).toBe(0.2);
  });

  it('refuses overrides that do not form a valid request (invalid_target_params)', () => {
    let thrown: unknown;
    try {
      resolveTargets(config, principal, request('broken'));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('invalid_target_params');
  });
});
