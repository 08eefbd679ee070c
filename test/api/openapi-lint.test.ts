import { join } from 'node:path';
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import { openApiDocument } from '../../lambdas/api/openapi.js';
import { REQUEST_EXAMPLES } from '../../lambdas/api/openapi-examples.js';
import { routes } from '../../lambdas/api/routes.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { tempDir } from '../helpers/tmp.js';

// /openapi.json as `redocly lint` sees it (the repository's redocly.yaml), its security per route, and its request
// examples: each one valid for its route and answered 2xx by the local quick start as it is.

type Operation = {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { example?: unknown }> };
};
const document = openApiDocument('/') as {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }> };
};
const operationOf = (method: string, path: string): Operation => document.paths[path]![method.toLowerCase()]!;
const visible = routes.filter((route) => !route.hidden);

test('redocly lint (recommended rules, redocly.yaml) finds no problem', async () => {
  const config = await loadConfig({ configPath: join(REPO_ROOT, 'redocly.yaml') });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} ${p.location[0]?.pointer ?? ''}`)).toEqual([]);
});

test('the security schemes: Bearer gateway key, x-api-key, the admin key and SigV4', () => {
  expect(document.components.securitySchemes).toMatchObject({
    gatewayKey: { type: 'http', scheme: 'bearer' },
    gatewayApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
    adminKey: { type: 'http', scheme: 'bearer' },
    awsSigV4: { type: 'apiKey', in: 'header', name: 'Authorization' },
  });
});

test.each(visible.map((route) => [`${route.method} ${route.path}`, route] as const))(
  '%s declares the security of its access in the route table',
  (_name, route) => {
    const security = operationOf(route.method, route.path).security;
    const expected =
      route.access.kind === 'open'
        ? []
        : route.access.kind === 'admin'
          ? [{ adminKey: [] }, { awsSigV4: [] }]
          : route.errorFormat === 'anthropic'
            ? [{ gatewayKey: [] }, { gatewayApiKey: [] }]
            : [{ gatewayKey: [] }];
    expect(security).toEqual(expected);
  },
);

const withExamples = visible.filter((route) => route.body !== undefined);

test.each(withExamples.map((route) => [route.operationId, route] as const))(
  '%s has an example its own schema accepts',
  (operationId, route) => {
    const example = operationOf(route.method, route.path).requestBody?.content['application/json']?.example;
    expect(example).toEqual(REQUEST_EXAMPLES[operationId]);
    expect(route.body!.safeParse(example).error?.issues).toBeUndefined();
  },
);

describe('the examples run as they are against the local quick start', () => {
  let gateway: LocalGateway;
  const data = tempDir('openapi-examples');
  beforeAll(async () => {
    gateway = await startLocalGateway({
      port: 0,
      host: '127.0.0.1',
      dataDir: data.path,
      configFile: join(REPO_ROOT, 'gateway.config.json'),
    });
  });
  afterAll(async () => {
    await gateway.stop();
    data.remove();
  });

  // Feedback names a request id of the caller's (the placeholder says so); rotateKey needs a key id in the path.
  const runnable = withExamples.filter((route) => !['createFeedback', 'rotateKey'].includes(route.operationId));

  test.each(runnable.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', async (_name, route) => {
    const key = route.access.kind === 'admin' ? gateway.adminKey.key : gateway.devKey.key;
    const res = await fetch(`${gateway.url}${route.path}`, {
      method: route.method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(REQUEST_EXAMPLES[route.operationId]),
    });
    const text = await res.text();
    expect([res.status, res.status < 300 ? '' : text]).toEqual([route.operationId === 'createKey' ? 201 : 200, '']);
  });
});
