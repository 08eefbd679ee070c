import type { ChatRequest } from '../../lambdas/api/chat-schemas.js';
import { GatewayError } from '../../lambdas/core/errors.js';
import { checkInputSize } from '../../lambdas/policies/limits.js';

const deep = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) value = { type: 'object', properties: { x: value } };
  return value;
};

describe('maxInputBytes on a request nested too deeply to serialise', () => {
  it('is a 400, not a RangeError (500)', () => {
    const request = {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'f', parameters: deep(20_000) } }],
    } as ChatRequest;
    const failure = (() => {
      try {
        checkInputSize(request, [], { maxInputBytes: 100_000 }, 'p');
        return undefined;
      } catch (err) {
        return err;
      }
    })();
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({ status: 400, type: 'invalid_request_error' });
  });
});
