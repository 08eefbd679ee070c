import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import OpenAI from 'openai';
import { logger } from '../../lambdas/core/logger.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { tempDir } from '../helpers/tmp.js';

// The local gateway watches its configuration file: a valid change serves the next requests, a broken one is
// refused with one log line naming the problem and the previous configuration keeps serving.
const data = tempDir('gw-config-reload');
const configFile = join(data.path, 'gateway.config.json');
let gateway: LocalGateway;
let client: OpenAI;

const configWith = (aliases: readonly string[]): string =>
  JSON.stringify({
    providers: { echo: { type: 'echo' } },
    models: Object.fromEntries(aliases.map((alias) => [alias, { targets: [{ provider: 'echo', model: 'echo-1' }] }])),
    plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
    auth: { cacheTtlSeconds: 0 },
    prices: { echo: { 'echo-1': { input: 0, output: 0 } } },
  });

/** Polls until `done` holds (the watcher sees a change a moment after the write); fails after 10 s. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const aliases = async (): Promise<string[]> => {
  const ids: string[] = [];
  for await (const model of client.models.list()) ids.push(model.id);
  return ids;
};

beforeAll(async () => {
  writeFileSync(configFile, configWith(['demo']));
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: data.path, configFile });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.stop();
  data.remove();
});

it('a valid change: the new alias answers without a restart', async () => {
  const info = jest.spyOn(logger, 'info');
  writeFileSync(configFile, configWith(['demo', 'added']));
  await until(async () => (await aliases()).includes('added'));
  const answer = await client.chat.completions.create({ model: 'added', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.model).toBe('added');
  expect(gateway.config.models.added).toBeDefined();
  expect(info.mock.calls.some(([message]) => message === 'configuration reloaded')).toBe(true);
  info.mockRestore();
});

it('a broken change: the previous configuration still serves and one log line names the problem', async () => {
  const warn = jest.spyOn(logger, 'warn');
  writeFileSync(configFile, configWith(['demo', 'added']).replace('"echo-1"', '"echo-1", "weight": "heavy"'));
  await until(() => warn.mock.calls.length > 0);
  const [line] = warn.mock.calls[0] as [string];
  expect(line).toMatch(
    /^configuration change ignored, the previous one stays: \$\.models\.demo\.targets\[0\]\.weight: /,
  );
  expect(line).not.toContain('\n');
  expect(await aliases()).toEqual(['demo', 'added']);
  const answer = await client.chat.completions.create({ model: 'added', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0]?.message.content).toBeDefined();
  warn.mockRestore();
});

it('not JSON at all: refused the same way', async () => {
  const warn = jest.spyOn(logger, 'warn');
  writeFileSync(configFile, '{ "providers": ');
  await until(() => warn.mock.calls.length > 0);
  expect(warn.mock.calls[0]?.[0]).toMatch(/previous one stays: not valid JSON: /);
  expect(await aliases()).toEqual(['demo', 'added']);
  warn.mockRestore();
});
