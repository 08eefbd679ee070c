import OpenAI from 'openai';
import { toGatewayError } from '../../lambdas/providers/upstream-error.js';
// The SDKs register their error classes as they load (chat/registry.ts loads them on first use); here, at once.
import '../../lambdas/providers/openai/openai-errors.js';
import '../../lambdas/providers/anthropic/anthropic-errors.js';
import { countsAgainstTarget, dispositionOf } from '../../lambdas/routing/classify.js';

// Every error the provider boundary makes is decided on by the router as intended: a provider fault is retried or
// failed over and counts against the target; the request's own fault ends the request and never counts.
const sdkError = (status: number) =>
  OpenAI.APIError.generate(status, { error: { message: 'x' } }, undefined, new Headers());

describe('routing codes', () => {
  it.each([
    [400, 'fatal'],
    [401, 'failover'],
    [403, 'failover'],
    [404, 'failover'],
    [408, 'retry'],
    [409, 'retry'],
    [413, 'fatal'],
    [422, 'fatal'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [529, 'retry'],
  ] as const)('HTTP %i → %s', (status, disposition) => {
    const error = toGatewayError(sdkError(status), 'p');
    expect(dispositionOf(error)).toBe(disposition);
    expect(countsAgainstTarget(error.code)).toBe(disposition !== 'fatal');
  });

  it("the SDK failing to encode the request is fatal and not the target's fault; an answer that is not JSON is", () => {
    const notEncodable = toGatewayError(new RangeError('Maximum call stack size exceeded'), 'p');
    expect(notEncodable).toMatchObject({ status: 400, code: 'request_not_encodable' });
    expect(dispositionOf(notEncodable)).toBe('fatal');
    expect(countsAgainstTarget(notEncodable.code)).toBe(false);
    const notJson = toGatewayError(new SyntaxError('Unexpected end of JSON input'), 'p');
    expect(notJson).toMatchObject({ status: 502, code: 'upstream_invalid_response' });
    expect(dispositionOf(notJson)).toBe('retry');
    expect(countsAgainstTarget(notJson.code)).toBe(true);
  });

  it('a code outside the table is fatal and does not count', () => {
    expect(countsAgainstTarget('no_such_code')).toBe(false);
    expect(countsAgainstTarget(null)).toBe(false);
    expect(countsAgainstTarget('try_cancelled')).toBe(false);
  });
});
