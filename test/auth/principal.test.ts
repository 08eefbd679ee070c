import type { APIGatewayProxyEvent } from 'aws-lambda';
import { principalOf, toAuthorizerContext, type Principal } from '../../lambdas/auth/principal.js';

// The principal travels through API Gateway's authorizer context, whose values must be strings, numbers or booleans:
// a key's labels go as one JSON string and come back as the same object.

const eventWith = (authorizer: Record<string, unknown>): Pick<APIGatewayProxyEvent, 'requestContext'> =>
  ({ requestContext: { authorizer } }) as unknown as Pick<APIGatewayProxyEvent, 'requestContext'>;

const principal: Principal = {
  tenant: 'acme',
  keyId: 'key_1',
  plan: 'default',
  scopes: ['chat'],
  models: null,
  labels: { 'cost-centre': 'cc-42', team: 'search' },
};

it('labels go through the context as one JSON string and come back as the same object', () => {
  const context = toAuthorizerContext(principal);
  expect(context.labels).toBe('{"cost-centre":"cc-42","team":"search"}');
  for (const value of Object.values(context)) expect(typeof value).toBe('string');
  expect(principalOf(eventWith(context))).toEqual(principal);
});

it('no labels: no context entry and none on the principal; malformed labels count as none', () => {
  const context = toAuthorizerContext({ ...principal, labels: {} });
  expect(context).not.toHaveProperty('labels');
  expect(principalOf(eventWith(context))?.labels).toBeUndefined();
  expect(principalOf(eventWith({ ...context, labels: '{not json' }))?.labels).toBeUndefined();
  expect(principalOf(eventWith({ ...context, labels: '["a"]' }))?.labels).toBeUndefined();
  expect(principalOf(eventWith({ ...context, labels: '{"a":1,"b":"x"}' }))?.labels).toEqual({ b: 'x' });
});
