import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { devKeyOf, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { tempDir } from '../helpers/tmp.js';

// `npm start` with LOG_FORMAT=pretty (what a terminal gets by default): one readable line per request instead of
// JSON, with status, method and path, alias, tokens, cost, time and request id.

const data = tempDir('gw-pretty-logs');
let gateway: GatewayProcess;
let client: OpenAI;

beforeAll(async () => {
  const configFile = join(data.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { echo: { type: 'echo' } },
      models: { demo: { targets: [{ provider: 'echo', model: 'echo-1' }] } },
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
      prices: { echo: { 'echo-1': { input: 1, output: 1 } } },
    }),
  );
  gateway = await startGatewayProcess({
    GATEWAY_DATA_DIR: data.path,
    GATEWAY_CONFIG: configFile,
    LOG_FORMAT: 'pretty',
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: devKeyOf(gateway.output()).key ?? '', maxRetries: 0 });
});

afterAll(async () => {
  if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
  await gateway.exited;
  data.remove();
});

it('one readable line per request, no JSON', async () => {
  const answer = await client.chat.completions
    .create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'X-Request-Id': 'pretty-1' } })
    .withResponse();
  expect(answer.response.status).toBe(200);
  await client.models.list({ headers: { 'X-Request-Id': 'pretty-2' } });
  const out = await gateway.waitForOutput((text) => text.includes('pretty-1') && text.includes('pretty-2'));
  const lines = out.split('\n').filter((line) => / pretty-\d$/.test(line));
  expect(lines).toEqual([
    expect.stringMatching(
      /^\d\d:\d\d:\d\d\.\d+ 200 POST \/v1\/chat\/completions demo \(echo\/echo-1\) \d+→\d+ tok \$\d+\.\d{6} [\d.]+ms pretty-1$/,
    ),
    expect.stringMatching(/^\d\d:\d\d:\d\d\.\d+ 200 GET \/v1\/models [\d.]+ms pretty-2$/),
  ]);
  expect(out).not.toMatch(/^\{/m);
  expect(out).not.toContain('authorizer allowed');
});
