import {
  INVOCATIONS_KEPT,
  logFormatOf,
  noteInvocation,
  noteInvocations,
  prettyLine,
  prettyText,
} from '../../local/log-format.js';

// `npm start` on a terminal: one readable line per log line; JSON into a pipe, or whenever LOG_FORMAT says so.

it('LOG_FORMAT decides; otherwise pretty on a terminal and JSON elsewhere', () => {
  expect(logFormatOf({}, true)).toBe('pretty');
  expect(logFormatOf({}, false)).toBe('json');
  expect(logFormatOf({ LOG_FORMAT: 'json' }, true)).toBe('json');
  expect(logFormatOf({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  expect(logFormatOf({ LOG_FORMAT: 'other' }, false)).toBe('json');
});

it('a "request completed" line: time, status, alias, target, tokens, cost, ms and request id', () => {
  const line = JSON.stringify({
    level: 'INFO',
    message: 'request completed',
    timestamp: '2026-12-06T22:53:01.123Z',
    requestId: 'req-1',
    awsRequestId: 'aws-1',
    ledgerId: 'led_1',
    tenant: 'dev',
    alias: 'demo',
    provider: 'echo',
    model: 'echo-1',
    status: 200,
    stream: false,
    latencyMs: 12.3,
    tokens: { input: 5, output: 7 },
    costMicros: 42,
    attempts: 1,
  });
  expect(prettyLine(line)).toBe('22:53:01.123 200 demo (echo/echo-1) 5→7 tok $0.000042 12.3ms req-1');
});

it("a chat request's line carries its method and path, from its invocation (the JSON line leaves them out)", () => {
  const completed = (awsRequestId: string) =>
    JSON.stringify({
      level: 'INFO',
      message: 'request completed',
      timestamp: '2026-12-06T22:53:01.123Z',
      requestId: 'req-9',
      awsRequestId,
      alias: 'demo',
      provider: 'echo',
      model: 'echo-1',
      status: 200,
      stream: true,
      latencyMs: 3,
    });
  // Not noted until the pretty form turns noting on (JSON lines do not read them).
  noteInvocation('local-test-1', 'POST', '/v1/chat/completions');
  expect(prettyLine(completed('local-test-1'))).toBe('22:53:01.123 200 demo (echo/echo-1) 3ms stream req-9');
  noteInvocations();
  noteInvocation('local-test-1', 'POST', '/v1/chat/completions');
  expect(prettyLine(completed('local-test-1'))).toBe(
    '22:53:01.123 200 POST /v1/chat/completions demo (echo/echo-1) 3ms stream req-9',
  );
  noteInvocation('local-test-2', 'POST', '/v1/messages');
  expect(prettyLine(completed('local-test-2'))).toMatch(/^22:53:01\.123 200 POST \/v1\/messages demo /);
  // Only the latest invocations are kept: the oldest is forgotten, its line shown without them.
  for (let i = 0; i < INVOCATIONS_KEPT; i++) noteInvocation(`local-fill-${i}`, 'GET', '/v1/models');
  expect(prettyLine(completed('local-test-1'))).toBe('22:53:01.123 200 demo (echo/echo-1) 3ms stream req-9');
  expect(prettyLine(completed(`local-fill-${INVOCATIONS_KEPT - 1}`))).toMatch(/ 200 GET \/v1\/models demo /);
});

it('the access line: time, status, method, path, ms and request id', () => {
  const line = JSON.stringify({
    level: 'INFO',
    message: 'request',
    timestamp: '2026-12-06T22:53:02.000Z',
    requestId: 'req-2',
    awsRequestId: 'aws-2',
    method: 'GET',
    path: '/v1/models',
    status: 200,
    latencyMs: 1.5,
  });
  expect(prettyLine(line)).toBe('22:53:02.000 200 GET /v1/models 1.5ms req-2');
});

it('other lines keep their level, message and remaining fields; the banner and broken JSON stay as they are', () => {
  const line = JSON.stringify({
    level: 'ERROR',
    message: 'upstream failed',
    timestamp: '2026-12-06T22:53:03.000Z',
    requestId: 'req-3',
    provider: 'openai',
  });
  expect(prettyLine(line)).toBe('22:53:03.000 ERROR upstream failed req-3 {"provider":"openai"}');
  expect(prettyLine('LLM Gateway listening on http://127.0.0.1:8001')).toBe(
    'LLM Gateway listening on http://127.0.0.1:8001',
  );
  expect(prettyLine('{not json')).toBe('{not json');
  // The authorizer's "allowed" line is left out (one line per request); its denials stay.
  const allowed = JSON.stringify({ level: 'INFO', message: 'authorizer allowed', timestamp: 't', tenant: 'dev' });
  expect(prettyText(`${allowed}\n${line}\n`)).toBe('22:53:03.000 ERROR upstream failed req-3 {"provider":"openai"}\n');
  expect(prettyText(`${line}\n`)).toBe('22:53:03.000 ERROR upstream failed req-3 {"provider":"openai"}\n');
});
