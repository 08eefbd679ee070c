import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpServer, type HttpServerHandle } from '../../local/server.js';
import { tempDir } from '../helpers/tmp.js';

// A Lambda whose bundled configuration is broken: the module still loads, readiness names the problem, and the
// other checks say they were not run on it.
const dir = tempDir('gw-badconfig');
let server: HttpServerHandle;

beforeAll(async () => {
  const file = join(dir.path, 'gateway.config.json');
  writeFileSync(file, '{"providers":{"x":{"type":"gemini"}}}');
  process.env.GATEWAY_CONFIG = file;
  const { handler } = await import('../../lambdas/handlers/health.js');
  server = await startHttpServer({ handlers: { health: handler }, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.stop(100);
  delete process.env.GATEWAY_CONFIG;
  dir.remove();
});

it('503 with the configuration problem by JSON path; liveness still 200', async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/health/ready`);
  expect(res.status).toBe(503);
  const body = (await res.json()) as { checks: Record<string, { status: string; detail?: string }> };
  expect(body.checks.config?.status).toBe('fail');
  expect(body.checks.config?.detail).toMatch(/^\$\.providers\.x\.type: /);
  expect(body.checks.secrets).toEqual({ status: 'fail', detail: 'not checked: the configuration is invalid' });
  expect((await fetch(`http://127.0.0.1:${server.port}/health/live`)).status).toBe(200);
});
