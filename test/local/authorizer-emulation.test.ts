import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { AuthorizerEmulator } from '../../local/authorizer-emulation.js';

// The local stand-in for the stack's two authorizers: which requests reach the function, and on which clock.

const allow: APIGatewayAuthorizerResult = {
  principalId: 'key_1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }],
  },
  context: { tenant: 't' },
};

function counting(): {
  handler: (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
  seen: APIGatewayRequestAuthorizerEvent[];
} {
  const seen: APIGatewayRequestAuthorizerEvent[] = [];
  return {
    seen,
    handler: async (event) => {
      seen.push(event);
      return allow;
    },
  };
}

const event = (headers: Record<string, string>): APIGatewayProxyEvent =>
  ({
    resource: '/v1/messages',
    path: '/v1/messages',
    httpMethod: 'POST',
    headers,
    multiValueHeaders: {},
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { stage: 'local', requestTimeEpoch: 0, identity: {} },
  }) as unknown as APIGatewayProxyEvent;

it('bearer intake with a TTL: cached per Authorization, and a request without it never reaches the function', async () => {
  const { handler, seen } = counting();
  const emulator = new AuthorizerEmulator(handler, 60, () => 5_000);
  expect((await emulator.authorize(event({ Authorization: 'Bearer a' }), 'bearer')).kind).toBe('allow');
  expect((await emulator.authorize(event({ Authorization: 'Bearer a' }), 'bearer')).kind).toBe('allow');
  expect((await emulator.authorize(event({ 'x-api-key': 'a' }), 'bearer')).kind).toBe('unauthorized');
  expect(seen).toHaveLength(1);
});

it('bearer-or-x-api-key intake: the function sees every request, with the edge clock as requestTimeEpoch', async () => {
  const { handler, seen } = counting();
  const emulator = new AuthorizerEmulator(handler, 60, () => 5_000);
  for (const headers of [{ 'x-api-key': 'a' }, { 'x-api-key': 'a' }, { Authorization: 'Bearer a' }, {}]) {
    await emulator.authorize(event(headers), 'bearer-or-x-api-key');
  }
  expect(seen).toHaveLength(4);
  expect(seen.map((e) => e.requestContext.requestTimeEpoch)).toEqual([5_000, 5_000, 5_000, 5_000]);
});

it('an authorizer that timed out or found its store unavailable is "unavailable" (503 at the edge), other errors "failed"', async () => {
  const throwing = (err: Error) =>
    new AuthorizerEmulator(
      () => Promise.reject(err),
      0,
      () => 5_000,
    );
  const named = (name: string): Error => Object.assign(new Error('x'), { name });
  const outcome = async (err: Error) => (await throwing(err).authorize(event({}), 'bearer-or-x-api-key')).kind;
  expect(await outcome(named('TimeoutError'))).toBe('unavailable');
  expect(await outcome(named('StoreUnavailableError'))).toBe('unavailable');
  expect(await outcome(new Error('Unauthorized'))).toBe('unauthorized');
  expect(await outcome(new TypeError('bug'))).toBe('failed');
});
