import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { devKeyOf, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { tempDir } from '../helpers/tmp.js';

// `npm start` as a process, its JSON logs on stdout: exactly one "request completed" line per chat request with
// ids, target, status, timings, tokens, cost, attempts and policy decisions — and no prompt or answer text unless
// the plan opts in (then PII-redacted). Its evaluation events land in <GATEWAY_DATA_DIR>/evaluation-events.jsonl.

const data = tempDir('gw-request-log');
const ADMIN = 'admin-request-log';
const SECRET = 'the walrus sings at midnight';
let gateway: GatewayProcess;
let devKey: string;
let verboseKey: string;

beforeAll(async () => {
  const configFile = join(data.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { echo: { type: 'echo' } },
      models: { demo: { targets: [{ provider: 'echo', model: 'echo-1' }] } },
      plans: {
        default: { rateLimit: 1000, burstLimit: 1000, evaluation: { sampleRate: 1 } },
        verbose: {
          rateLimit: 1000,
          burstLimit: 1000,
          logging: { prompts: true },
          policies: { pii: { mode: 'block', detectors: ['card'] } },
        },
      },
      auth: { cacheTtlSeconds: 0 },
      prices: { echo: { 'echo-1': { input: 1, output: 1 } } },
    }),
  );
  gateway = await startGatewayProcess({
    GATEWAY_DATA_DIR: data.path,
    GATEWAY_CONFIG: configFile,
    GATEWAY_ADMIN_KEY: ADMIN,
  });
  devKey = devKeyOf(gateway.output()).key ?? '';
  const created = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'verbose-co', plan: 'verbose' }),
  });
  verboseKey = ((await created.json()) as { key: string }).key;
});

afterAll(async () => {
  if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
  await gateway.exited;
  data.remove();
});

const chat = (key: string, requestId: string, content: string, extra: Record<string, unknown> = {}) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'X-Request-Id': requestId },
    body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content }], ...extra }),
  });

/** The JSON log lines of one request, once its "request completed" line is out. */
async function linesOf(requestId: string): Promise<Record<string, unknown>[]> {
  const marker = `"requestId":"${requestId}"`;
  await gateway.waitForOutput((out) =>
    out.split('\n').some((line) => line.includes(marker) && line.includes('"request completed"')),
  );
  // The access log line follows the completed line for streams only later: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return gateway
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(marker))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

it('one "request completed" line with the request\'s facts and no text by default', async () => {
  const response = await chat(devKey, 'log-json-1', SECRET);
  expect(response.status).toBe(200);
  const ledgerId = response.headers.get('x-gateway-ledger-id');
  const lines = await linesOf('log-json-1');
  const completed = lines.filter((line) => line.message === 'request completed');
  // One line per request: the access line is not repeated next to it.
  expect(lines.filter((line) => line.message === 'request')).toEqual([]);
  expect(completed).toEqual([
    expect.objectContaining({
      level: 'INFO',
      requestId: 'log-json-1',
      ledgerId,
      tenant: 'dev',
      keyId: expect.stringMatching(/^key_/),
      plan: 'default',
      alias: 'demo',
      provider: 'echo',
      model: 'echo-1',
      status: 200,
      stream: false,
      latencyMs: expect.any(Number),
      // Zero cache counts, zero fallbacks, estimated: false and an empty policy list are left out (docs/PERFORMANCE.md).
      tokens: { input: expect.any(Number), output: expect.any(Number) },
      costMicros: expect.any(Number),
      attempts: 1,
    }),
  ]);
  expect(completed[0]?.prompt).toBeUndefined();
  for (const line of lines) expect(JSON.stringify(line)).not.toContain('walrus');
});

it('a stream: one line at its end, with time to first token', async () => {
  const response = await chat(devKey, 'log-stream-1', SECRET, { stream: true });
  await response.text();
  const lines = await linesOf('log-stream-1');
  const completed = lines.filter((line) => line.message === 'request completed');
  expect(completed).toEqual([
    expect.objectContaining({ stream: true, status: 200, timeToFirstTokenMs: expect.any(Number) }),
  ]);
  // Streams too: no access line beside it.
  expect(lines.filter((line) => line.message === 'request')).toEqual([]);
  expect(gateway.output()).not.toContain('walrus');
});

it('logging.prompts: the prompt and answer in the line, PII-redacted; a policy refusal logged with its decision', async () => {
  expect((await chat(verboseKey, 'log-verbose-1', 'reach me at kim@example.org')).status).toBe(200);
  const [completed] = (await linesOf('log-verbose-1')).filter((line) => line.message === 'request completed');
  expect(completed).toMatchObject({
    tenant: 'verbose-co',
    prompt: [{ role: 'user', path: 'messages[0].content', text: 'reach me at [REDACTED:email]' }],
    answer: { text: 'Echo: reach me at [REDACTED:email]', tool_calls: [] },
  });
  expect(gateway.output()).not.toContain('kim@example.org');

  expect((await chat(verboseKey, 'log-verbose-2', 'card 4111 1111 1111 1111')).status).toBe(400);
  const refused = (await linesOf('log-verbose-2')).filter((line) => line.message === 'request completed');
  expect(refused).toEqual([expect.objectContaining({ status: 400, policy: ['pii.block=card'], attempts: 0 })]);
  expect(refused[0]?.ledgerId).toBeUndefined();
  expect(refused[0]?.prompt).toEqual([{ role: 'user', path: 'messages[0].content', text: 'card [REDACTED:card]' }]);
  expect(gateway.output()).not.toContain('4111');
});

it('evaluation events default to <GATEWAY_DATA_DIR>/evaluation-events.jsonl, without text unless asked', async () => {
  const response = await chat(devKey, 'log-eval-1', SECRET);
  const ledgerId = response.headers.get('x-gateway-ledger-id');
  const events = readFileSync(join(data.path, 'evaluation-events.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { detail: Record<string, unknown> });
  expect(events.filter((e) => e.detail.id === ledgerId)).toEqual([
    expect.objectContaining({
      detail: expect.objectContaining({ request_id: 'log-eval-1', tenant: 'dev', status: 200 }),
    }),
  ]);
  expect(JSON.stringify(events)).not.toContain('walrus');
});
