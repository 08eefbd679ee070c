import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { tempDir } from '../helpers/tmp.js';
import { fuzzCase, type FuzzKeys } from './cases.js';
import { problemOf } from './expectations.js';
import { caseSeed, Prng } from './prng.js';
import { sendRaw } from './raw-http.js';

/*
 * Hostile requests across every route of the route table (and paths none claims) against the real local gateway:
 * wrong types, deep nesting, huge strings, invalid UTF-8, duplicate and prototype keys, content-type and length
 * lies, odd methods, header and query junk. Each answer: no 5xx, nosniff, the route's error shape; afterwards the
 * process still serves /health/live.
 *
 *   FUZZ_RUNS=36000 npm test -- test/fuzz         a larger run (default: FUZZ_RUNS=600, sized for CI)
 *   FUZZ_SEED=7 npm test -- test/fuzz             another run seed (default 14)
 *   FUZZ_SEED=14 FUZZ_CASE=123 npm test -- test/fuzz   replay one case of a failure report
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const SEED = Number(process.env.FUZZ_SEED ?? 14);
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);
const ANSWER_TIMEOUT_MS = 20_000;

const data = tempDir('gw-fuzz');
let gateway: LocalGateway;
let keys: FuzzKeys;

async function createKey(body: object): Promise<string> {
  const res = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`key not issued: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

beforeAll(async () => {
  const configFile = join(data.path, 'gateway.config.json');
  // Echo only: nothing leaves the machine. Plans roomy enough that the edge's 429 does not hide the functions.
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { echo: { type: 'echo' } },
      models: {
        demo: { targets: [{ provider: 'echo', model: 'echo-1' }] },
        fanout: {
          strategy: 'fallback',
          targets: [
            { provider: 'echo', model: 'echo-1' },
            { provider: 'echo', model: 'echo-2' },
          ],
        },
      },
      plans: {
        default: { rateLimit: 5000, burstLimit: 5000 },
        guarded: {
          rateLimit: 5000,
          burstLimit: 5000,
          quotas: { tenant: { tokensPerDay: 100_000_000 } },
          policies: {
            maxInputBytes: 200_000,
            maxInputTokens: 100_000,
            maxTokensCap: { limit: 1000 },
            pii: { mode: 'redact', detectors: ['email', 'card'], applyToOutput: true },
            deny: [{ pattern: 'forbidden-word', flags: 'i' }],
            promptInjection: 'flag',
          },
        },
      },
      auth: { cacheTtlSeconds: 300, defaultPlan: 'default', rotationGraceSeconds: 60 },
      prices: { echo: { 'echo-1': { input: 1, output: 2 }, 'echo-2': { input: 1, output: 2 } } },
    }),
  );
  gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: data.path,
    configFile,
    adminKey: 'admin',
    sweepIntervalMs: 0,
  });
  keys = {
    chat: gateway.devKey.key,
    guarded: await createKey({ tenant: 'fuzz-guarded', plan: 'guarded', scopes: ['chat', 'usage:read'] }),
    admin: 'admin',
  };
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  data.remove();
});

test(`${ONLY === undefined ? RUNS : 1} hostile requests (seed ${SEED}): no 5xx, nosniff, the route's error shape`, async () => {
  const indexes = ONLY === undefined ? Array.from({ length: RUNS }, (_, i) => i) : [ONLY];
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < indexes.length) {
      const index = indexes[next++] as number;
      const fuzz = fuzzCase(new Prng(caseSeed(SEED, index)), keys);
      const { response, timedOut, received } = await sendRaw(gateway.port, fuzz, ANSWER_TIMEOUT_MS);
      const problem = problemOf(fuzz, response, timedOut, received);
      if (problem !== undefined) {
        failures.push(
          `FUZZ_SEED=${SEED} FUZZ_CASE=${index}: ${fuzz.method} ${fuzz.target.slice(0, 120)} [${fuzz.mutations.join('; ')}] → ${problem}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  expect(failures.sort()).toEqual([]);

  const live = await fetch(`${gateway.url}/health/live`);
  expect(live.status).toBe(200);
  expect(await live.json()).toEqual({ status: 'ok' });
}, 600_000);
