import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { openApiDocument } from '../api/openapi.js';
import { notFound } from '../core/errors.js';
import { gatewayFunction } from '../runtime/gateway-function.js';
import { swaggerPage } from './swagger-page.js';

/** The Swagger UI files served under /docs/; nothing else is readable through {asset}. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

/** In the Lambda bundle the files are copied to SWAGGER_UI_DIR; locally they come from the package. */
const assetDir = (): string =>
  process.env.SWAGGER_UI_DIR ?? dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const assetCache = new Map<string, string>();

/** Where the API is mounted: the stage prefix in AWS (`/v1`), empty locally. */
function mountPrefix(event: APIGatewayProxyEvent): string {
  const full = event.requestContext.path;
  return full.endsWith(event.path) ? full.slice(0, full.length - event.path.length) : '';
}

let document: { prefix: string; body: string } | undefined;

export const handler = gatewayFunction({
  'GET /openapi.json': async ({ event }) => {
    const prefix = mountPrefix(event);
    if (document?.prefix !== prefix) {
      document = { prefix, body: JSON.stringify(openApiDocument(prefix === '' ? '/' : prefix)) };
    }
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: document.body };
  },
  'GET /docs': async () => ({
    statusCode: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: swaggerPage(),
  }),
  'GET /docs/{asset}': async ({ event }) => {
    const name = event.pathParameters?.asset ?? '';
    const contentType = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (contentType === undefined) throw notFound(`No documentation asset named ${JSON.stringify(name.slice(0, 64))}.`);
    let body = assetCache.get(name);
    if (body === undefined) {
      body = await readFile(join(assetDir(), name), 'utf8');
      assetCache.set(name, body);
    }
    return {
      statusCode: 200,
      headers: { 'Content-Type': contentType, 'Cache-Control': 'public, max-age=86400' },
      body,
    };
  },
});
