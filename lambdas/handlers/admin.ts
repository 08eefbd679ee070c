import type { createKeyRequestSchema, rotateKeyRequestSchema } from '../api/key-schemas.js';
import { requireConfig } from '../config/current.js';
import { badRequest } from '../core/errors.js';
import { json } from '../core/http.js';
import { KEY_ID_PATTERN } from '../keys/key-format.js';
import { KeyService, toKeyView, type IssuedKey } from '../keys/key-service.js';
import { keyStore, usageKeys } from '../keys/runtime.js';
import { lazyRouteSchemas } from '../runtime/lazy-route-schemas.js';
import { bodyOf, gatewayFunction } from '../runtime/gateway-function.js';
import type { GatewayRequest } from '../runtime/types.js';

/** The admin API for gateway keys (IAM-authenticated in AWS, the admin key locally). */
function service(): KeyService {
  return new KeyService({ store: keyStore(), usageKeys: usageKeys(), config: requireConfig() });
}

const keyIdOf = ({ event }: GatewayRequest): string => {
  const id = event.pathParameters?.keyId;
  if (id === undefined || !KEY_ID_PATTERN.test(id)) throw badRequest('Malformed key id.', 'invalid_key_id', 'keyId');
  return id;
};

const issued = (request: GatewayRequest, { key, record }: IssuedKey) => {
  request.log.info('key issued', {
    tenant: record.tenant,
    keyId: record.id,
    plan: record.plan,
    rotatedFrom: record.rotatedFrom,
  });
  return json(201, { ...toKeyView(record), key }, { 'Cache-Control': 'no-store' });
};

export const handler = gatewayFunction(
  {
    'POST /admin/keys': async (request) =>
      issued(request, await service().create(bodyOf<typeof createKeyRequestSchema>(request))),
    'GET /admin/keys': async ({ event }) => {
      const tenant = event.queryStringParameters?.tenant;
      const records = await service().list(tenant === undefined || tenant === '' ? undefined : tenant);
      return json(200, { object: 'list', data: records.map(toKeyView) });
    },
    'GET /admin/keys/{keyId}': async (request) => json(200, toKeyView(await service().get(keyIdOf(request)))),
    'POST /admin/keys/{keyId}/revoke': async (request) => {
      const record = await service().revoke(keyIdOf(request));
      request.log.info('key revoked', { tenant: record.tenant, keyId: record.id });
      return json(200, toKeyView(record));
    },
    'POST /admin/keys/{keyId}/rotate': async (request) => {
      const { graceSeconds } = bodyOf<typeof rotateKeyRequestSchema>(request);
      return issued(request, await service().rotate(keyIdOf(request), graceSeconds));
    },
  },
  { schemas: lazyRouteSchemas },
);
