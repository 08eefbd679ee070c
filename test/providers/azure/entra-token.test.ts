import { GatewayError } from '../../../lambdas/core/errors.js';
import { entraTokenProvider, parseEntraCredential } from '../../../lambdas/providers/azure/entra-token.js';

// Entra ID client credentials for Azure OpenAI: the credential JSON from the secret, the token request, its cache.

const credential = parseEntraCredential(
  'az',
  JSON.stringify({ tenantId: 't1', clientId: 'c1', clientSecret: 's3cret' }),
);

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (err: unknown) => (err instanceof GatewayError ? `${err.code}: ${err.message}` : String(err)),
  );

it.each(['not json', '{}', '{"tenantId":"t","clientId":"c"}', '{"tenantId":"t","clientId":"c","clientSecret":""}'])(
  'a credential that is not the JSON (%s): provider_authentication_failed, the secret not in the message',
  (secret) => {
    expect(() => parseEntraCredential('az', secret)).toThrow(
      expect.objectContaining({ code: 'provider_authentication_failed' }) as Error,
    );
  },
);

it('the client-credentials request to the authority, the token cached until 5 minutes before it expires', async () => {
  let now = 0;
  const calls: { url: string; body: string }[] = [];
  const fetchFn = (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, body: String(init.body) });
    return Promise.resolve(Response.json({ access_token: `tok${calls.length}`, expires_in: 3600 }));
  };
  const token = entraTokenProvider('az', credential, fetchFn, () => now);
  expect(await Promise.all([token(), token()])).toEqual(['tok1', 'tok1']);
  expect(calls).toHaveLength(1);
  expect(calls[0]?.url).toBe('https://login.microsoftonline.com/t1/oauth2/v2.0/token');
  expect(Object.fromEntries(new URLSearchParams(calls[0]?.body))).toEqual({
    grant_type: 'client_credentials',
    client_id: 'c1',
    client_secret: 's3cret',
    scope: 'https://cognitiveservices.azure.com/.default',
  });
  now = 3600_000 - 5 * 60_000 - 1;
  expect(await token()).toBe('tok1');
  now += 1;
  expect(await token()).toBe('tok2');
});

it('a refused or unreachable token endpoint: provider_authentication_failed, without the secret', async () => {
  const refused = entraTokenProvider('az', credential, () =>
    Promise.resolve(Response.json({ error: 'invalid_client', error_description: 'bad s3cret' }, { status: 401 })),
  );
  const message = await codeOf(refused());
  expect(message).toMatch(/^provider_authentication_failed: .*HTTP 401/);
  expect(message).not.toMatch(/s3cret/);
  const down = entraTokenProvider('az', credential, () => Promise.reject(new Error('ECONNREFUSED')));
  expect(await codeOf(down())).toMatch(/^provider_authentication_failed: .*could not be reached/);
});
