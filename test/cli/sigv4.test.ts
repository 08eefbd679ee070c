import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { FakeAdminServer, type Recorded } from './fake-admin-server.js';
import { cli } from './run-cli.js';

// Deployed stacks: SigV4 with the credentials of the provider chain. The jest setup sets fake ones
// (test-access-key / test-secret-key); nothing here reaches AWS: requests go to a fake server on 127.0.0.1.
const ACCESS_KEY_ID = process.env.AWS_ACCESS_KEY_ID ?? '';
const SECRET = process.env.AWS_SECRET_ACCESS_KEY ?? '';
const AUTHORIZATION = (region: string) =>
  new RegExp(
    `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/${region}/execute-api/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`,
  );
const server = new FakeAdminServer();

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

/** Signs what the server received again, at its x-amz-date, over the headers it names: as API Gateway checks. */
async function expectValidSignature(received: Recorded, region: string, host: string): Promise<void> {
  const authorization = String(received.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date']));
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = name === 'host' ? host : String(received.headers[name]);
  const url = new URL(received.url, `http://${host}`);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const amzDate = String(received.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
    sha256: Sha256,
  });
  const expected = await signer.sign(
    new HttpRequest({
      method: received.method,
      hostname: host,
      path: url.pathname,
      query,
      headers,
      ...(received.body === '' ? {} : { body: received.body }),
    }),
    { signingDate },
  );
  expect(authorization).toBe(expected.headers.authorization);
}

describe('SigV4', () => {
  it('--aws signs with execute-api and AWS_REGION, keeps the stage path, sends no admin key', async () => {
    const { code, stdout, stderr } = await cli(
      ['keys', 'list', '--tenant', 'acme', '--aws', '--url', `${server.url}/v1`],
      {
        env: { AWS_REGION: 'eu-central-1', GATEWAY_ADMIN_KEY: 'should-not-be-sent-1234' },
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const received = server.last;
    expect(received.url).toBe('/v1/admin/keys?tenant=acme');
    expect(received.headers.authorization).toMatch(AUTHORIZATION('eu-central-1'));
    expect(received.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(JSON.stringify(received.headers)).not.toContain('should-not-be-sent-1234');
    await expectValidSignature(received, 'eu-central-1', new URL(server.url).host);
    expect(stdout + stderr).not.toContain(SECRET);
  });

  it('an execute-api URL is signed for the region in its host, stage path kept, body signed', async () => {
    const apiHost = 'abc123defg.execute-api.eu-west-1.amazonaws.com';
    const seen: string[] = [];
    // Sends to the fake server what would go to API Gateway; the Host header is the only difference.
    const redirect: typeof fetch = (input, init) => {
      const target = new URL(String(input instanceof Request ? input.url : input));
      seen.push(target.href);
      return fetch(`${server.url}${target.pathname}${target.search}`, init);
    };
    const { code, stderr } = await cli(
      ['keys', 'create', '--tenant', 'acme', '--models', 'a,b', '--url', `https://${apiHost}/prod/`],
      {
        env: { AWS_REGION: 'us-east-1' },
        fetch: redirect,
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(seen).toEqual([`https://${apiHost}/prod/admin/keys`]);
    const received = server.last;
    expect([received.method, received.url]).toEqual(['POST', '/prod/admin/keys']);
    expect(received.headers.authorization).toMatch(AUTHORIZATION('eu-west-1'));
    expect(received.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(JSON.parse(received.body)).toEqual({ tenant: 'acme', models: ['a', 'b'] });
    await expectValidSignature(received, 'eu-west-1', apiHost);
  });

  it('signs with a session token when the credentials have one', async () => {
    const { code } = await cli(['keys', 'get', 'key_1', '--aws', '--url', server.url], {
      env: { AWS_REGION: 'us-east-2' },
      credentials: async () => ({
        accessKeyId: 'AKIDSESSION',
        secretAccessKey: 'session-secret-value',
        sessionToken: 'token-value-123',
      }),
    });
    expect(code).toBe(0);
    expect(server.last.headers['x-amz-security-token']).toBe('token-value-123');
    expect(server.last.headers.authorization).toMatch(
      /Credential=AKIDSESSION\/\d{8}\/us-east-2\/execute-api\/aws4_request/,
    );
  });

  it('credential errors are reported without secrets (exit 1), nothing sent', async () => {
    const { code, stderr } = await cli(['keys', 'list', '--aws', '--url', server.url], {
      env: { AWS_REGION: 'us-east-1' },
      credentials: async () => {
        throw new Error('Could not load credentials from any providers');
      },
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: no AWS credentials for the deployed gateway: Could not load credentials from any providers\n',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('--aws without a region is a usage error', async () => {
    const { code, stderr } = await cli(['keys', 'list', '--aws', '--url', server.url], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toMatch(/AWS_REGION/);
    expect(server.requests).toHaveLength(0);
  });

  it('an unreachable deployed URL does not suggest npm start', async () => {
    const fail: typeof fetch = () =>
      Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }));
    const { code, stderr } = await cli(
      ['keys', 'list', '--url', 'https://nope1.execute-api.eu-west-1.amazonaws.com/v1'],
      {
        env: {},
        fetch: fail,
      },
    );
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: the gateway at https://nope1.execute-api.eu-west-1.amazonaws.com/v1 is not reachable (ENOTFOUND); check the URL (--url or GATEWAY_URL) and your network\n',
    );
  });
});
