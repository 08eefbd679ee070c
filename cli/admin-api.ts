import type { ZodType } from 'zod';
import {
  createdKeySchema,
  keyListSchema,
  keyViewSchema,
  type CreateKeyRequest,
  type CreatedKey,
  type KeyView,
} from '../lambdas/api/key-schemas.js';
import { adminUsageSchema, type AdminUsageView } from '../lambdas/api/usage-schemas.js';
import { apiErrorMessage } from './api-error.js';
import type { UsageQuery } from './args.js';
import { CliError } from './errors.js';
import type { ApiCall, Send } from './http.js';
import { encodeRfc3986 } from './outgoing-request.js';

/** A successful answer: `raw` is the JSON as the API sent it (for --json), `value` the same, checked. */
export interface Answer<T> {
  readonly raw: unknown;
  readonly value: T;
}

async function call<T>(send: Send, request: ApiCall, schema: ZodType<T>): Promise<Answer<T>> {
  const response = await send(request);
  if (response.status < 200 || response.status > 299) throw new CliError(apiErrorMessage(response));
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'body'}: ${issue.message})`;
    throw new CliError(
      `unexpected answer to ${request.method} ${request.path}${where}; is --url a gateway of this version?`,
    );
  }
  return { raw: response.body, value: parsed.data };
}

const keyPath = (id: string): string => `/admin/keys/${encodeRfc3986(id)}`;

/** The admin API's key and usage routes (contract: lambdas/api/routes.ts). */
export function adminApi(send: Send) {
  return {
    create: (request: CreateKeyRequest): Promise<Answer<CreatedKey>> =>
      call(send, { method: 'POST', path: '/admin/keys', body: request }, createdKeySchema),
    list: (tenant?: string): Promise<Answer<readonly KeyView[]>> =>
      call(
        send,
        { method: 'GET', path: '/admin/keys', ...(tenant === undefined ? {} : { query: { tenant } }) },
        keyListSchema,
      ).then((answer) => ({ raw: answer.raw, value: answer.value.data })),
    get: (id: string): Promise<Answer<KeyView>> => call(send, { method: 'GET', path: keyPath(id) }, keyViewSchema),
    revoke: (id: string): Promise<Answer<KeyView>> =>
      call(send, { method: 'POST', path: `${keyPath(id)}/revoke` }, keyViewSchema),
    rotate: (id: string, graceSeconds?: number): Promise<Answer<CreatedKey>> =>
      call(
        send,
        { method: 'POST', path: `${keyPath(id)}/rotate`, body: graceSeconds === undefined ? {} : { graceSeconds } },
        createdKeySchema,
      ),
    usage: (query: UsageQuery): Promise<Answer<AdminUsageView>> =>
      call(send, { method: 'GET', path: '/admin/usage', query: { ...query } }, adminUsageSchema),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
