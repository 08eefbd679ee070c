import type { IncomingMessage } from 'node:http';
import { routes } from '../../lambdas/api/routes.js';
import { errorFormatOf } from '../../lambdas/middleware/error-format.js';
import { toProxyEvent } from '../../local/proxy-event.js';
import { createRouteMatcher, decodePathParameter } from '../../local/route-match.js';
import { requestTarget } from '../../local/server.js';

// The local server's reading of a request (issue 14, item 3 and the fuzz finds): names as plain names, escapes and
// targets that do not decode, and the error format of paths no route claims.

const request = (rawHeaders: string[]): IncomingMessage =>
  ({
    rawHeaders,
    method: 'GET',
    httpVersion: '1.1',
    headers: {},
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;

describe('proxy event', () => {
  it('headers and query parameters named like Object.prototype members are own entries, last value single', () => {
    const url = new URL('http://local/health/live?constructor=1&__proto__=2&toString=3&toString=4');
    const event = toProxyEvent(
      request(['constructor', 'a', '__proto__', 'b', 'hasOwnProperty', 'c', 'valueOf', 'd', 'valueOf', 'e']),
      url,
      createRouteMatcher()('GET', '/health/live'),
      null,
    );
    expect(Object.getPrototypeOf(event.headers)).toBe(Object.prototype);
    expect(Object.keys(event.headers)).toEqual(['constructor', '__proto__', 'hasOwnProperty', 'valueOf']);
    expect(event.headers.__proto__).toBe('b');
    expect(event.headers.valueOf).toBe('e');
    expect(event.multiValueHeaders.valueOf).toEqual(['d', 'e']);
    expect(event.queryStringParameters).toEqual(
      Object.fromEntries([
        ['constructor', '1'],
        ['__proto__', '2'],
        ['toString', '4'],
      ]),
    );
    expect(event.multiValueQueryStringParameters?.toString).toEqual(['3', '4']);
    expect(Object.hasOwn(event.multiValueQueryStringParameters ?? {}, '__proto__')).toBe(true);
  });
});

describe('route matching', () => {
  it('finds a static resource by its exact path, a templated one by its pattern, anything else in the fallback', () => {
    const match = createRouteMatcher();
    expect(match('POST', '/v1/chat/completions')).toEqual({
      resource: '/v1/chat/completions',
      pathParameters: null,
      fn: 'chat',
    });
    // A known resource with a method it has no route for: the fallback function (405), as the stack's ANY method.
    expect(match('DELETE', '/v1/chat/completions')).toEqual({
      resource: '/v1/chat/completions',
      pathParameters: null,
      fn: 'fallback',
    });
    expect(match('GET', '/v1/models/gpt-4o')).toMatchObject({
      resource: '/v1/models/{model}',
      pathParameters: { model: 'gpt-4o' },
    });
    expect(match('POST', '/v1/chat/completions/')).toEqual({
      resource: '/{proxy+}',
      pathParameters: { proxy: 'v1/chat/completions/' },
      fn: 'fallback',
    });
  });
});

describe('path parameters', () => {
  it('are percent-decoded; a malformed escape is kept as sent', () => {
    expect(decodePathParameter('req_%41b')).toBe('req_Ab');
    expect(decodePathParameter('%ZZ')).toBe('%ZZ');
    expect(decodePathParameter('%E2%82')).toBe('%E2%82');
    expect(createRouteMatcher()('GET', '/v1/requests/%ZZ').pathParameters).toEqual({ requestId: '%ZZ' });
  });
});

describe('request target', () => {
  it.each([
    ['/v1/models?x=1', '/v1/models'],
    ['//evil.example/v1/models', '//evil.example/v1/models'],
    ['http://local/health/live', '/health/live'],
  ])('%s → path %s', (raw, path) => {
    expect(requestTarget(raw)?.pathname).toBe(path);
  });

  it.each(['*', 'v1/models', '', 'ftp://x/y'])('%s is no request target', (raw) => {
    expect(requestTarget(raw)).toBeUndefined();
  });
});

describe('error format', () => {
  const messages = routes.find((r) => r.path === '/v1/messages');

  it("is the route's when a route matched", () => {
    expect(errorFormatOf(messages, { path: '/v1/messages' })).toBe('anthropic');
    expect(
      errorFormatOf(
        routes.find((r) => r.path === '/v1/models'),
        { path: '/v1/messages' },
      ),
    ).toBe('openai');
  });

  it.each([
    ['/v1/messages', 'anthropic'],
    ['/v1/messages/count_tokens', 'anthropic'],
    ['/v1/messagesx', 'openai'],
    ['/v1/chat/completions/x', 'openai'],
    ['/nothing', 'openai'],
  ])('without a route: %s → %s', (path, format) => {
    expect(errorFormatOf(undefined, { path })).toBe(format);
  });
});
