import type { feedbackRequestSchema } from '../api/feedback-schemas.js';
import type { adminUsageQuerySchema, usageQuerySchema } from '../api/usage-schemas.js';
import { badRequest, notFound } from '../core/errors.js';
import { json } from '../core/http.js';
import { ledgerIdOf } from '../feedback/ledger-id.js';
import { RequestRecords, requestRecordView } from '../feedback/request-records.js';
import { keyStore } from '../keys/runtime.js';
import { usageRange } from '../ledger/usage-range.js';
import { readUsage } from '../ledger/usage-reader.js';
import { adminUsage, tenantUsage, type UsageSource } from '../ledger/usage-service.js';
import { lazyRouteSchemas } from '../runtime/lazy-route-schemas.js';
import { bodyOf, gatewayFunction, principalOfRequest, queryOf } from '../runtime/gateway-function.js';
import type { GatewayRequest } from '../runtime/types.js';
import { dynamo, onClient, tableName } from '../store/client.js';

/** Usage from the ledger's counters in the gateway table; tenants from the key listing (no Scan). */
const source: UsageSource = {
  rows: (tenant, range) => readUsage(dynamo(), tableName(), tenant, range.from, range.to),
  tenants: () => keyStore().tenants(),
  keyLabels: async (tenant) => new Map((await keyStore().list(tenant)).map((key) => [key.id, key.labels])),
};

/** Each row with its key's labels (one key listing per tenant in the rows). */
async function withKeyLabels<T extends { tenant: string; key_id: string }>(
  rows: readonly T[],
): Promise<(T & { labels?: Record<string, string> })[]> {
  const tenants = [...new Set(rows.map((row) => row.tenant))];
  const labels = new Map<string, Record<string, string>>();
  for (const tenant of tenants) for (const key of await keyStore().list(tenant)) labels.set(key.id, { ...key.labels });
  return rows.map((row) => {
    const own = labels.get(row.key_id);
    return own === undefined || Object.keys(own).length === 0 ? row : { ...row, labels: own };
  });
}

const records = onClient((client, table) => new RequestRecords(client, table));

const NO_STORE = { 'Cache-Control': 'no-store' };

const requestNotFound = () => notFound('No such request.', 'request_not_found');

/** The ledger id of the path's {requestId}: req_…, chatcmpl-req_… or msg_req_…; 400 otherwise. */
function pathLedgerId({ event }: GatewayRequest): string {
  const id = ledgerIdOf(event.pathParameters?.requestId ?? '');
  if (id === undefined)
    throw badRequest(
      "Not a request id: use the X-Gateway-Ledger-Id header (req_…) or the answer's id.",
      'invalid_request_id',
      'requestId',
    );
  return id;
}

/**
 * The usage API: a key's own tenant (scope usage:read), or any tenant for administrators; and feedback on a
 * tenant's requests (scope chat), stored on their ledger records.
 */
export const handler = gatewayFunction(
  {
    'GET /v1/usage': async (request) => {
      const { tenant } = principalOfRequest(request);
      const query = queryOf<typeof usageQuerySchema>(request);
      const usage = await tenantUsage(source, tenant, usageRange(query, new Date()), {
        model: query.model,
        keyId: query.key_id,
      });
      return json(200, usage, NO_STORE);
    },
    'GET /admin/usage': async (request) => {
      const query = queryOf<typeof adminUsageQuerySchema>(request);
      const range = usageRange(query, new Date());
      const filter = { model: query.model, keyId: query.key_id };
      const usage = await adminUsage(source, query.tenant, range, filter, query.detail);
      if (usage.rows !== undefined) usage.rows = await withKeyLabels(usage.rows);
      request.log.info('usage read', {
        tenant: query.tenant ?? '*',
        from: range.from,
        to: range.to,
        tenants: usage.tenants.length,
      });
      return json(200, usage, NO_STORE);
    },
    'POST /v1/feedback': async (request) => {
      const { tenant, keyId } = principalOfRequest(request);
      const body = bodyOf<typeof feedbackRequestSchema>(request);
      const id = ledgerIdOf(body.request_id);
      if (id === undefined) {
        throw badRequest(
          "request_id is not a request id: use the X-Gateway-Ledger-Id header (req_…) or the answer's id.",
          'invalid_request_id',
          'request_id',
        );
      }
      const feedback = {
        score: body.score,
        label: body.label,
        comment: body.comment,
        keyId,
        createdAt: new Date().toISOString(),
      };
      if (!(await records().setFeedback(id, tenant, feedback))) throw requestNotFound();
      // The comment is the user's text: not logged.
      request.log.info('feedback stored', { ledgerId: id, tenant, keyId, score: body.score, label: body.label });
      return json(200, {
        object: 'feedback',
        request_id: id,
        score: feedback.score,
        label: feedback.label ?? null,
        comment: feedback.comment ?? null,
        key_id: keyId,
        created_at: feedback.createdAt,
      });
    },
    'GET /v1/requests/{requestId}': async (request) => {
      const { tenant } = principalOfRequest(request);
      const id = pathLedgerId(request);
      const item = await records().get(id, tenant);
      if (item === undefined) throw requestNotFound();
      return json(200, requestRecordView(id, item), NO_STORE);
    },
    'GET /admin/requests/{requestId}': async (request) => {
      const id = pathLedgerId(request);
      const item = await records().get(id, undefined);
      if (item === undefined) throw requestNotFound();
      return json(200, requestRecordView(id, item), NO_STORE);
    },
  },
  { schemas: lazyRouteSchemas },
);
