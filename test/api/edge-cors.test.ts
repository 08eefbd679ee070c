import { CORS_EXPOSED_HEADERS, edgeCorsHeaders, edgeCorsParameters } from '../../lambdas/api/cors.js';

// The CORS headers of API Gateway's own answers (401/403/429/413/4XX/5XX): a gateway response cannot choose by
// origin, so one listed origin is named as it is and several are answered with the request's Origin.
const ONE = { allowedOrigins: ['https://app.example.com'], maxAgeSeconds: 600 };
const TWO = { allowedOrigins: ['https://app.example.com', 'http://localhost:5173'], maxAgeSeconds: 600 };
const OFF = { allowedOrigins: [], maxAgeSeconds: 600 };

describe('edgeCorsParameters (the stack)', () => {
  it('nothing while CORS is off', () => {
    expect(edgeCorsParameters(OFF)).toEqual({});
  });
  it('one listed origin: that origin as a literal', () => {
    expect(edgeCorsParameters(ONE)).toEqual({
      'gatewayresponse.header.Vary': "'Origin'",
      'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'gatewayresponse.header.Access-Control-Expose-Headers': `'${CORS_EXPOSED_HEADERS.join(', ')}'`,
    });
  });
  it("several: the request's Origin header", () => {
    expect(edgeCorsParameters(TWO)['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(
      'method.request.header.Origin',
    );
  });
});

describe('edgeCorsHeaders (the local edge, the same rule)', () => {
  it('nothing while CORS is off', () => {
    expect(edgeCorsHeaders(OFF, 'https://app.example.com')).toEqual({});
  });
  it('one listed origin: named whoever asks (the browser elsewhere refuses it)', () => {
    expect(edgeCorsHeaders(ONE, 'https://evil.example.net')['Access-Control-Allow-Origin']).toBe(
      'https://app.example.com',
    );
  });
  it("several: the request's origin, none without one", () => {
    expect(edgeCorsHeaders(TWO, 'http://localhost:5173')['Access-Control-Allow-Origin']).toBe('http://localhost:5173');
    expect(edgeCorsHeaders(TWO, undefined)).toEqual({
      Vary: 'Origin',
      'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', '),
    });
  });
});
