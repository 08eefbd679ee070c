import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverLocalUrl, ENDPOINT_FILE } from '../../cli/local-discovery.js';
import { resolveEndpoint } from '../../cli/endpoint.js';
import { publishEndpoint } from '../../local/endpoint-file.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('cli-discovery');
afterAll(() => dir.remove());
const env = { GATEWAY_DATA_DIR: dir.path };

it('reads the URL the gateway published, and nothing once it is removed', () => {
  const remove = publishEndpoint(dir.path, 'http://127.0.0.1:43210', 43210);
  expect(discoverLocalUrl(env, '/')).toBe('http://127.0.0.1:43210');
  expect(resolveEndpoint({ aws: false }, env, () => discoverLocalUrl(env, '/')).baseUrl.href).toBe(
    'http://127.0.0.1:43210/',
  );
  remove();
  expect(discoverLocalUrl(env, '/')).toBeUndefined();
});

it('ignores the file of a gateway whose process has gone, and a broken file', () => {
  writeFileSync(
    join(dir.path, ENDPOINT_FILE),
    JSON.stringify({ url: 'http://127.0.0.1:1', port: 1, pid: 2 ** 22 + 7 }),
  );
  expect(discoverLocalUrl(env, '/')).toBeUndefined();
  writeFileSync(join(dir.path, ENDPOINT_FILE), '{');
  expect(discoverLocalUrl(env, '/')).toBeUndefined();
});

it('--url and GATEWAY_URL come before the discovered gateway', () => {
  const found = () => 'http://127.0.0.1:5555';
  expect(resolveEndpoint({ aws: false, url: 'http://flag:2' }, env, found).baseUrl.href).toBe('http://flag:2/');
  expect(resolveEndpoint({ aws: false }, { GATEWAY_URL: 'http://env:1' }, found).baseUrl.href).toBe('http://env:1/');
});

it('leaves a file another gateway has written since', () => {
  const first = publishEndpoint(dir.path, 'http://127.0.0.1:1111', 1111);
  publishEndpoint(dir.path, 'http://127.0.0.1:2222', 2222);
  first();
  expect(discoverLocalUrl(env, '/')).toBe('http://127.0.0.1:2222');
});
