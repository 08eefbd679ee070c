import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { devKeyOf, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { tempDir } from '../helpers/tmp.js';

// What one chat request costs in CloudWatch Logs: `npm start` on the Lambda path (bookings straight to the store, EMF
// on, an X-Ray trace id in the environment as Lambda sets it), one request, and every byte it wrote to stdout and
// stderr for it — the EMF document, the "request completed" line and anything else — at most 1,200 (issue 20).
// Lambda's invocation ids are UUIDs (36 characters), longer than the local ones: the difference is added.

const LIMIT = 1_200;
const LAMBDA_REQUEST_ID_LENGTH = 36;
const data = tempDir('gw-log-bytes');
let gateway: GatewayProcess;
let devKey: string;

beforeAll(async () => {
  const configFile = join(data.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { openai: { type: 'echo' } },
      models: { 'gpt-4o-mini': { targets: [{ provider: 'openai', model: 'gpt-4o-mini-2024-07-18' }] } },
      plans: { default: { rateLimit: 1000, burstLimit: 1000, quotas: { tenant: { usdPerMonth: 1000 } } } },
      auth: { cacheTtlSeconds: 300 },
      prices: { openai: { 'gpt-4o-mini-2024-07-18': { input: 0.15, output: 0.6 } } },
    }),
  );
  gateway = await startGatewayProcess({
    GATEWAY_DATA_DIR: data.path,
    GATEWAY_CONFIG: configFile,
    GATEWAY_LEDGER_JOURNAL: 'off',
    POWERTOOLS_METRICS_DISABLED: 'false',
    _X_AMZN_TRACE_ID: 'Root=1-6751b2c4-0c1d2e3f4a5b6c7d8e9f0a1b;Parent=53995c3f42cd8ad8;Sampled=1',
  });
  devKey = devKeyOf(gateway.output()).key ?? '';
});

afterAll(async () => {
  if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
  await gateway.exited;
  data.remove();
});

const bytesOf = (): number => Buffer.byteLength(gateway.output()) + Buffer.byteLength(gateway.errors());

/** The bytes the gateway wrote for one request, with Lambda's longer invocation ids. */
async function logBytesOf(stream: boolean): Promise<{ bytes: number; text: string }> {
  const requestId = randomUUID();
  const before = bytesOf();
  const start = gateway.output().length;
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${devKey}`, 'Content-Type': 'application/json', 'X-Request-Id': requestId },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
      ...(stream ? { stream: true } : {}),
    }),
  });
  expect(response.status).toBe(200);
  await response.text();
  const lines = (out: string): string[] => out.slice(start).split('\n');
  await gateway.waitForOutput((out) =>
    lines(out).some((line) => line.includes(requestId) && line.includes('"request completed"')),
  );
  await gateway.waitForOutput((out) => lines(out).some((line) => line.startsWith('{"_aws"')));
  // Anything written right after (a batch of lines, a late warning) belongs to the request too.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const text = gateway.output().slice(start);
  const localIds = [...text.matchAll(/"awsRequestId":"([^"]*)"/g)].map((match) => match[1] ?? '');
  const longer = localIds.reduce((sum, id) => sum + Math.max(0, LAMBDA_REQUEST_ID_LENGTH - id.length), 0);
  return { bytes: bytesOf() - before + longer, text };
}

it.each([
  ['JSON', false],
  ['stream', true],
])('one %s request writes at most 1,200 bytes of logs (EMF document and request line included)', async (_, stream) => {
  await logBytesOf(stream); // the first request of a process may log more (key lookup, first lease)
  const { bytes, text } = await logBytesOf(stream);
  expect(text).toContain('"_aws"');
  expect(text).toContain('"request completed"');
  expect(text).toContain('"xray_trace_id"');
  // The lines in the failure message, to see what grew.
  expect({ bytes, within: bytes <= LIMIT }).toEqual({ bytes, within: true, ...(bytes > LIMIT ? { text } : {}) });
});
