import { azureOpenAIClient } from '../../../lambdas/providers/azure/azure-client.js';

// The SDK's AzureOpenAI reads OPENAI_BASE_URL, AZURE_OPENAI_API_KEY and OPENAI_API_VERSION when an option is left
// out, and refuses a base URL beside an endpoint, or a key beside a token provider: the gateway's client takes
// nothing from the environment (its configuration only), whatever a developer's shell holds.
const SET = {
  OPENAI_BASE_URL: 'https://elsewhere.example/v1',
  AZURE_OPENAI_API_KEY: 'env-key',
  OPENAI_API_VERSION: '2099-01-01',
};
const saved = Object.fromEntries(Object.keys(SET).map((name) => [name, process.env[name]]));
beforeAll(() => Object.assign(process.env, SET));
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const endpoint = 'https://my-resource.openai.azure.com/';
const entraSecret = JSON.stringify({ tenantId: 't', clientId: 'c', clientSecret: 's' });

it.each([
  ['api-key', 'the-key'],
  ['entra', entraSecret],
] as const)('auth %s: built from the configuration alone, with the env of another setup present', (auth, secret) => {
  const client = azureOpenAIClient('az', { type: 'azure-openai', endpoint, auth }, secret, 1000);
  expect(client.baseURL).toBe('https://my-resource.openai.azure.com/openai');
  expect(client.apiVersion).toBe('2024-10-21');
  if (auth === 'api-key') expect(client.apiKey).toBe('the-key');
  else expect(client.apiKey).not.toBe('env-key');
});
