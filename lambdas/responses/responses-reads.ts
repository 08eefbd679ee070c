import type { z } from 'zod';
import type { inputItemsQuerySchema } from '../api/responses-schemas.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError } from '../core/errors.js';
import { hideEncrypted } from '../formats/openai-responses/response-object.js';
import { responseStore } from './response-store-runtime.js';
import type { StoredResponse } from './stored-response.js';

/** GET /v1/responses/{id}, DELETE /v1/responses/{id}, GET /v1/responses/{id}/input_items: the tenant's own only. */
const notFound = (id: string): GatewayError =>
  new GatewayError({ code: 'response_not_found', message: `Response with id '${id}' not found.`, param: 'id' });

async function stored(principal: Principal, id: string): Promise<StoredResponse> {
  const found = await responseStore().get(principal.tenant, id);
  if (found === undefined) throw notFound(id);
  return found;
}

/** The stored Response, its reasoning items without encrypted_content (kept for continuing, not shown). */
export async function retrieveResponse(principal: Principal, id: string): Promise<unknown> {
  const { response } = await stored(principal, id);
  return { ...response, output: response.output.map(hideEncrypted) };
}

export async function deleteResponse(principal: Principal, id: string): Promise<unknown> {
  if (!(await responseStore().delete(principal.tenant, id))) throw notFound(id);
  return { id, object: 'response.deleted', deleted: true };
}

/** The request's own input items (not the earlier turns'), newest first unless `order=asc`, `limit` (20) a page. */
export async function listInputItems(
  principal: Principal,
  id: string,
  query: z.output<typeof inputItemsQuerySchema>,
): Promise<unknown> {
  const record = await stored(principal, id);
  const own = record.conversation.slice(record.own);
  const ordered = query.order === 'asc' ? own : [...own].reverse();
  const start = query.after === undefined ? 0 : ordered.findIndex((item) => item.id === query.after) + 1;
  const limit = query.limit ?? 20;
  const data = ordered.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < ordered.length,
  };
}
