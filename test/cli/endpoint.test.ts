import { displayUrl, executeApiRegion, resolveEndpoint, DEFAULT_URL } from '../../cli/endpoint.js';
import { UsageError } from '../../cli/errors.js';

describe('resolveEndpoint', () => {
  it('defaults to the local gateway, then GATEWAY_URL, then --url', () => {
    expect(resolveEndpoint({ aws: false }, {})).toMatchObject({ kind: 'local', baseUrl: new URL(DEFAULT_URL) });
    expect(resolveEndpoint({ aws: false }, { GATEWAY_URL: 'http://env:1' }).baseUrl.href).toBe('http://env:1/');
    expect(resolveEndpoint({ aws: false, url: 'http://flag:2' }, { GATEWAY_URL: 'http://env:1' }).baseUrl.href).toBe(
      'http://flag:2/',
    );
  });

  it('treats any non-execute-api URL as local, https and custom domains included', () => {
    expect(
      resolveEndpoint({ aws: false, url: 'https://gateway.example.com/v1' }, { AWS_REGION: 'eu-west-1' }).kind,
    ).toBe('local');
  });

  it('signs for execute-api hosts with the region of the host, keeping the stage path', () => {
    const endpoint = resolveEndpoint(
      { aws: false, url: 'https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/v1/?x=1#y' },
      { AWS_REGION: 'us-east-1' },
    );
    expect(endpoint).toMatchObject({ kind: 'aws', region: 'ap-southeast-2' });
    expect(displayUrl(endpoint.baseUrl)).toBe('https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/v1');
  });

  it('--aws forces SigV4 with AWS_REGION, else AWS_DEFAULT_REGION', () => {
    expect(resolveEndpoint({ aws: true, url: 'https://gw.example.com' }, { AWS_REGION: 'eu-north-1' })).toMatchObject({
      kind: 'aws',
      region: 'eu-north-1',
    });
    expect(
      resolveEndpoint({ aws: true, url: 'https://gw.example.com' }, { AWS_DEFAULT_REGION: 'sa-east-1' }),
    ).toMatchObject({ region: 'sa-east-1' });
    expect(() => resolveEndpoint({ aws: true, url: 'https://gw.example.com' }, {})).toThrow(UsageError);
  });

  it.each(['not a url', 'ftp://gw', 'http://user:pass@gw'])('rejects --url %s', (url) => {
    expect(() => resolveEndpoint({ aws: false, url }, {})).toThrow(UsageError);
  });
});

describe('executeApiRegion', () => {
  it.each([
    ['abc.execute-api.us-east-1.amazonaws.com', 'us-east-1'],
    ['ABC.execute-api.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['abc.execute-api.us-east-1.amazonaws.com.evil.example', undefined],
    ['execute-api.us-east-1.amazonaws.com', undefined],
    ['127.0.0.1', undefined],
  ])('%s → %s', (host, region) => {
    expect(executeApiRegion(host)).toBe(region);
  });
});
