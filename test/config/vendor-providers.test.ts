import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from '../../lambdas/config/load.js';

// The provider types of issue 18's Azure and vendor parts: the README's snippets are valid configuration, and a
// wrong Azure or preset entry is a clear problem at load.

const readme = readFileSync('README.md', 'utf8');
const snippet = (section: string): string => {
  const found = new RegExp(`## ${section}\\n[\\s\\S]*?\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  if (found === undefined) throw new Error(`no json snippet under ${section}`);
  return found;
};

function problemsOf(text: string): readonly string[] {
  try {
    parseConfig(text, 'gw.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

it("accepts the README's Azure OpenAI example (an Azure deployment with an OpenAI fallback)", () => {
  const config = parseConfig(
    `{${snippet('Azure OpenAI').replace('"providers": {', '"providers": { "openai": { "type": "openai" },')}}`,
    'README.md',
  );
  expect(config.providers.azure).toEqual({
    type: 'azure-openai',
    endpoint: 'https://my-resource.openai.azure.com',
    apiVersion: '2024-10-21',
    apiKeyEnv: 'AZURE_OPENAI_API_KEY',
  });
});

it("accepts the README's OpenAI-compatible vendors, one per preset", () => {
  const config = parseConfig(`{"providers":{${snippet('OpenAI-compatible vendors')}}}`, 'README.md');
  expect(Object.values(config.providers).map((provider) => 'preset' in provider && provider.preset)).toEqual([
    'gemini',
    'groq',
    'mistral',
    'deepseek',
    'together',
    'vllm',
    'ollama',
  ]);
});

it.each([
  [{ type: 'azure-openai' }, 'endpoint'],
  [{ type: 'azure-openai', endpoint: 'not a url' }, 'endpoint'],
  [{ type: 'azure-openai', endpoint: 'https://r.openai.azure.com', apiVersion: 'latest' }, 'apiVersion'],
  [{ type: 'azure-openai', endpoint: 'https://r.openai.azure.com', auth: 'managed-identity' }, 'auth'],
  [{ type: 'azure-openai', endpoint: 'https://r.openai.azure.com', baseURL: 'https://x' }, 'baseURL'],
  [{ type: 'openai-compatible', baseURL: 'https://x', preset: 'grok' }, 'preset'],
  [{ type: 'openai', preset: 'groq' }, 'preset'],
])('refuses %j: a problem naming %s', (provider, field) => {
  const problems = problemsOf(JSON.stringify({ providers: { p: provider } }));
  expect(problems).toEqual([
    expect.stringMatching(new RegExp(`^\\$\\.providers\\.p(\\.${field}: |: unknown key "${field}")`)),
  ]);
});

it('an Azure deployment may serve an embedding alias', () => {
  const problems = problemsOf(
    JSON.stringify({
      providers: { azure: { type: 'azure-openai', endpoint: 'https://r.openai.azure.com' } },
      models: { vectors: { kind: 'embedding', targets: [{ provider: 'azure', model: 'embed', dimensions: 1536 }] } },
    }),
  );
  expect(problems).toEqual([]);
});
