import type { LocalGateway } from '../../local/gateway.js';
import { startKeyTestGateway } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// CORS is off by default (no cors.allowedOrigins): no preflight answer, no Access-Control-* header, no Vary: Origin.
const APP = 'https://app.example.com';
let plain: LocalGateway;
const plainDir = tempDir('gw-cors-off');

beforeAll(async () => {
  plain = await startKeyTestGateway(plainDir.path, 'test-admin-key-0123456789');
});
afterAll(async () => {
  await plain.stop();
  plainDir.remove();
});

const accessControl = (res: Response): Record<string, string> =>
  Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-')));
const preflight = (url: string, path: string, origin: string) =>
  fetch(`${url}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
  });

describe('CORS off (the default)', () => {
  it('a preflight is not answered: 405 from the fallback, no Access-Control-* header', async () => {
    const res = await preflight(plain.url, '/v1/chat/completions', APP);
    expect(res.status).toBe(405);
    expect(accessControl(res)).toEqual({});
  });

  it('an actual answer carries no Access-Control-* header and no Vary: Origin', async () => {
    const res = await fetch(`${plain.url}/health/live`, { headers: { Origin: APP } });
    expect(res.status).toBe(200);
    expect(accessControl(res)).toEqual({});
    expect(res.headers.get('vary')).toBeNull();
  });
});
