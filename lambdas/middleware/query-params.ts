import { badRequest } from '../core/errors.js';
import { gatewayRequestOf, setGatewayRequest } from '../runtime/request-state.js';
import type { GatewayMiddleware, MiddyRequest, SchemaSource } from '../runtime/types.js';

/**
 * For routes with a query schema: the query parameters validated before the handler runs (it reads them with
 * `queryOf`). A parameter the schema does not name, one given twice, or a value it refuses is a 400 `invalid_query`
 * naming the parameter. The schema comes from `schemasOf` (loaded on first use: api/route-schemas.ts).
 */
export function queryParams(schemasOf: SchemaSource): GatewayMiddleware {
  const before = async (request: MiddyRequest): Promise<void> => {
    const gateway = gatewayRequestOf(request.event);
    const route = gateway?.route;
    if (gateway === undefined || route?.hasQuery !== true) return;
    const { queryStringParameters, multiValueQueryStringParameters } = request.event;
    for (const [name, values] of Object.entries(multiValueQueryStringParameters ?? {})) {
      if ((values?.length ?? 0) > 1)
        throw badRequest(`The query parameter "${name}" is given more than once.`, 'invalid_query', name);
    }
    const schema = (await schemasOf(route))?.query;
    if (schema === undefined) throw new Error(`route ${route.operationId} has no query schema`);
    const parsed = schema.safeParse(queryStringParameters ?? {});
    if (parsed.success) {
      setGatewayRequest(request.event, { ...gateway, query: parsed.data });
      return;
    }
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const name = issue.keys[0] ?? '';
      throw badRequest(`Unknown query parameter "${name.slice(0, 64)}".`, 'invalid_query', name.slice(0, 64));
    }
    const name = issue?.path[0] === undefined ? null : String(issue.path[0]);
    throw badRequest(
      `Invalid query parameter${name === null ? '' : ` ${name}`}: ${issue?.message ?? 'invalid'}.`,
      'invalid_query',
      name,
    );
  };
  return { name: 'queryParams', before };
}
