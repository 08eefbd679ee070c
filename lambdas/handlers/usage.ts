import { adminUsageQuerySchema, usageQuerySchema } from '../api/usage-schemas.js';
import { json } from '../core/http.js';
import { keyStore } from '../keys/runtime.js';
import { usageRange } from '../ledger/usage-range.js';
import { readUsage } from '../ledger/usage-reader.js';
import { adminUsage, tenantUsage, type UsageSource } from '../ledger/usage-service.js';
import { gatewayFunction, principalOfRequest, queryOf } from '../runtime/gateway-function.js';
import { dynamo, tableName } from '../store/client.js';

/** Usage from the ledger's counters in the gateway table; tenants from the key listing (no Scan). */
const source: UsageSource = {
  rows: (tenant, range) => readUsage(dynamo(), tableName(), tenant, range.from, range.to),
  tenants: () => keyStore().tenants(),
};

const NO_STORE = { 'Cache-Control': 'no-store' };

/** The usage API: a key's own tenant (scope usage:read), or any tenant for administrators. */
export const handler = gatewayFunction({
  'GET /v1/usage': async (request) => {
    const { tenant } = principalOfRequest(request);
    const query = queryOf(request, usageQuerySchema);
    const usage = await tenantUsage(source, tenant, usageRange(query, new Date()), { model: query.model, keyId: query.key_id });
    return json(200, usage, NO_STORE);
  },
  'GET /admin/usage': async (request) => {
    const query = queryOf(request, adminUsageQuerySchema);
    const range = usageRange(query, new Date());
    const usage = await adminUsage(source, query.tenant, range, { model: query.model, keyId: query.key_id });
    request.log.info('usage read', { tenant: query.tenant ?? '*', from: range.from, to: range.to, tenants: usage.tenants.length });
    return json(200, usage, NO_STORE);
  },
});
