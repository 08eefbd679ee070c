import { GatewayLogger } from '../../lambdas/core/gateway-logger.js';
import { GatewayLogFormatter } from '../../lambdas/core/log-formatter.js';

// GatewayLogger.infoLine writes the request line without Powertools' per-call merge: it must print, byte for byte
// (the timestamp aside), the line Powertools' own `info` prints for the same fields, or defer to it.

const saved = { ...process.env };
let written: string[] = [];
const originalWrite = process.stdout.write;

beforeEach(() => {
  written = [];
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  delete process.env.POWERTOOLS_DEV;
  delete process.env._X_AMZN_TRACE_ID;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});

afterEach(() => {
  process.stdout.write = originalWrite;
  process.env = { ...saved };
});

const newLogger = (): GatewayLogger =>
  new GatewayLogger({ serviceName: 'llm-gateway', logFormatter: new GatewayLogFormatter() });
const sameTime = (line: string): string => line.replace(/"timestamp": ?"[^"]+"/, '"timestamp":"T"');

const keys = { requestId: 'req-1', awsRequestId: 'aws-1' };
const completed = {
  ledgerId: 'req_abc',
  tenant: 'acme',
  keyId: 'key1',
  plan: 'default',
  alias: 'gpt-4o-mini',
  provider: undefined,
  model: null,
  status: 200,
  stream: false,
  latencyMs: 12.3,
  timeToFirstTokenMs: undefined,
  tokens: { input: 10, output: 5, cached: undefined },
  costMicros: 0,
  attempts: 1,
  empty: '',
  policy: ['pii.redact=email:1'],
  prompt: [{ role: 'user', path: 'messages[0]', text: 'hi "there"\n' }],
  answer: null,
};

/** Both paths' output for the same fields: [infoLine's, info's]. */
function bothPaths(logger: GatewayLogger, fields: Record<string, unknown>): [string[], string[]] {
  logger.infoLine('request completed', keys, fields);
  const plain = written.map(sameTime);
  written = [];
  logger.info('request completed', { ...keys, ...fields });
  const powertools = written.map(sameTime);
  written = [];
  return [plain, powertools];
}

test('the request line is the line Powertools prints: order, empty fields dropped, nested values', () => {
  const [plain, powertools] = bothPaths(newLogger(), completed);
  expect(plain).toHaveLength(1);
  expect(plain).toEqual(powertools);
  expect(JSON.parse(plain[0]!)).toEqual({
    level: 'INFO',
    message: 'request completed',
    timestamp: 'T',
    ...keys,
    ledgerId: 'req_abc',
    tenant: 'acme',
    keyId: 'key1',
    plan: 'default',
    alias: 'gpt-4o-mini',
    status: 200,
    stream: false,
    latencyMs: 12.3,
    tokens: { input: 10, output: 5 },
    costMicros: 0,
    attempts: 1,
    policy: ['pii.redact=email:1'],
    prompt: [{ role: 'user', path: 'messages[0]', text: 'hi "there"\n' }],
  });
});

test.each([
  ['a full trace header', 'Root=1-6751b2c4-0c1d2e3f4a5b6c7d8e9f0a1b;Parent=53995c3f42cd8ad8;Sampled=1'],
  ['a bare trace id', ' 1-6751b2c4-0c1d2e3f4a5b6c7d8e9f0a1b '],
  ['a header without Root', 'Parent=53995c3f42cd8ad8;Sampled=1'],
  ['a header with two Roots (the last counts)', 'Root=1-aaaaaaaa-1;Parent=53995c3f42cd8ad8;Root=1-bbbbbbbb-2'],
])('the X-Ray trace id as Powertools reads it: %s', (_name, header) => {
  process.env._X_AMZN_TRACE_ID = header;
  const [plain, powertools] = bothPaths(newLogger(), completed);
  expect(plain).toEqual(powertools);
});

test('a later part overrides an earlier key in place, and an empty value removes it, as a spread does', () => {
  const [plain, powertools] = bothPaths(newLogger(), { requestId: 'own', awsRequestId: undefined, n: 1 });
  expect(plain).toEqual(powertools);
  expect(plain[0]).toContain('"requestId":"own","n":1}');
});

test('below the logger level nothing is written', () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  const [plain, powertools] = bothPaths(newLogger(), completed);
  expect(plain).toEqual([]);
  expect(powertools).toEqual([]);
});

test.each([
  ['a reserved key (dropped with a warning)', { level: 'x', tenant: 'acme' }],
  ['an Error (formatted by the replacer)', { error: new Error('boom') }],
  ['a BigInt', { big: 10n }],
  ['a class instance', { at: new Date(0), map: new Map() }],
])('a line with %s goes through Powertools', (_name, fields) => {
  const [plain, powertools] = bothPaths(newLogger(), fields);
  expect(plain.length).toBeGreaterThan(0);
  expect(plain).toEqual(powertools);
});

test('with appended keys, a Lambda context or in dev mode (indented), the line is still Powertools’ own', () => {
  const withKeys = newLogger();
  withKeys.appendKeys({ stage: 'prod' });
  const [plainKeys, powertoolsKeys] = bothPaths(withKeys, completed);
  expect(plainKeys[0]).toContain('"stage":"prod"');
  expect(plainKeys).toEqual(powertoolsKeys);

  const withContext = newLogger();
  withContext.addContext({
    functionName: 'chat',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:chat',
    memoryLimitInMB: '1024',
    awsRequestId: 'aws-1',
    logGroupName: 'g',
    logStreamName: 's',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  });
  const [plainContext, powertoolsContext] = bothPaths(withContext, completed);
  expect(plainContext[0]).toContain('"function_name":"chat"');
  expect(plainContext).toEqual(powertoolsContext);

  process.env.POWERTOOLS_DEV = 'true';
  const dev = newLogger();
  const ownInfo = console.info;
  const devLines: string[] = [];
  console.info = (line: unknown) => void devLines.push(sameTime(String(line)));
  try {
    dev.infoLine('request completed', keys, completed);
    dev.info('request completed', { ...keys, ...completed });
  } finally {
    console.info = ownInfo;
  }
  expect(devLines).toHaveLength(2);
  expect(devLines[0]).toContain('\n    "level": "INFO"');
  expect(devLines[0]).toEqual(devLines[1]);
});
