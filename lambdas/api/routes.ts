import type { ZodObject, ZodType } from 'zod';
import type { ErrorFormat } from '../formats/error-body.js';
import { chatCompletionSchema, chatRequestSchema } from './chat-schemas.js';
import { anthropicErrorResponseSchema, anthropicMessageSchema, messagesRequestSchema } from './messages-schemas.js';
import {
  createKeyRequestSchema,
  createdKeySchema,
  keyListSchema,
  keyViewSchema,
  modelListSchema,
  rotateKeyRequestSchema,
  type Scope,
} from './key-schemas.js';
import { feedbackRequestSchema, feedbackResponseSchema, requestRecordSchema } from './feedback-schemas.js';
import { adminUsageQuerySchema, adminUsageSchema, usageQuerySchema, usageSchema } from './usage-schemas.js';
import { errorResponseSchema, liveResponseSchema, readyResponseSchema } from './schemas.js';

/**
 * The route table: the one list of what the API serves. The CDK stack creates API Gateway resources and methods
 * from it, the local server dispatches with it, the fallback function answers 404/405 from it, and /openapi.json is
 * generated from it. A route names the Lambda function (`fn`) that serves it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** The Lambda functions that serve routes. */
export type RouteFunctionName = 'health' | 'docs' | 'fallback' | 'chat' | 'admin' | 'usage';
/** Every Lambda function of the gateway: the route functions, the API Gateway authorizer and the scheduled sweeper. */
export type FunctionName = RouteFunctionName | 'authorizer' | 'sweeper';

/**
 * Who may call a route. `open`: anyone. `key`: a gateway key (checked by the authorizer at the edge) holding `scope`.
 * `admin`: IAM (SigV4) in AWS, the admin key locally.
 */
export type Access = { readonly kind: 'open' } | { readonly kind: 'key'; readonly scope: Scope } | { readonly kind: 'admin' };

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

export interface RouteSpec<F extends string = RouteFunctionName> {
  readonly method: HttpMethod;
  /** API Gateway resource path; `{name}` is a path parameter. */
  readonly path: string;
  readonly fn: F;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  /** JSON body schema; a route with one requires `Content-Type: application/json`. */
  readonly body?: ZodType;
  /** Query parameters, one field each; the handler reads them with `queryOf` (400 for anything else). */
  readonly query?: ZodObject;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Left out of /openapi.json (static assets of the docs UI). */
  readonly hidden?: boolean;
  /** The shape of this route's error bodies (default `openai`); errors API Gateway answers itself keep OpenAI's. */
  readonly errorFormat?: ErrorFormat;
}

const error = (description: string): ResponseSpec => ({ description, schema: errorResponseSchema });
const anthropicError = (description: string): ResponseSpec => ({ description, schema: anthropicErrorResponseSchema });
const OPEN: Access = { kind: 'open' };
const ADMIN: Access = { kind: 'admin' };
const keyErrors = {
  401: error('Missing, unknown, revoked or expired key (invalid_api_key)'),
  403: error('The key lacks the scope or the model'),
  429: error('Throttled or over the plan quota'),
};
const adminErrors = { 403: error('Not an administrator') };

export const routes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/health/live',
    fn: 'health',
    operationId: 'getLive',
    summary: 'Liveness: 200 whenever the process serves',
    tag: 'health',
    access: OPEN,
    responses: { 200: { description: 'The process serves', schema: liveResponseSchema } },
  },
  {
    method: 'GET',
    path: '/health/ready',
    fn: 'health',
    operationId: 'getReady',
    summary: 'Readiness: configuration valid, store answering, provider secrets readable',
    tag: 'health',
    access: OPEN,
    responses: {
      200: { description: 'Every check passed', schema: readyResponseSchema },
      503: { description: 'A check failed; the body names it', schema: readyResponseSchema },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'docs',
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'docs',
    access: OPEN,
    responses: { 200: { description: 'The OpenAPI document' } },
  },
  {
    method: 'GET',
    path: '/docs',
    fn: 'docs',
    operationId: 'getDocs',
    summary: 'Swagger UI for /openapi.json',
    tag: 'docs',
    access: OPEN,
    responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
  },
  {
    method: 'GET',
    path: '/docs/{asset}',
    fn: 'docs',
    operationId: 'getDocsAsset',
    summary: 'Static files of the Swagger UI',
    tag: 'docs',
    access: OPEN,
    hidden: true,
    responses: { 200: { description: 'A static file' }, 404: error('No such file') },
  },
  ...(['/v1/chat/completions', '/v1/chat'] as const).map(
    (path): RouteSpec => ({
      method: 'POST',
      path,
      fn: 'chat',
      operationId: path === '/v1/chat' ? 'chat' : 'createChatCompletion',
      summary:
        path === '/v1/chat'
          ? 'The unified chat endpoint (same as /v1/chat/completions)'
          : 'Chat completion in the OpenAI format, on a model alias; stream: true for SSE',
      tag: 'chat',
      access: { kind: 'key', scope: 'chat' },
      body: chatRequestSchema,
      responses: {
        200: { description: 'A chat.completion, or an SSE stream of chat.completion.chunk', schema: chatCompletionSchema },
        400: error('Invalid request, or a parameter the target cannot honour'),
        404: error('Unknown model alias'),
        502: error('The provider failed'),
        504: error('The provider timed out'),
        ...keyErrors,
      },
    }),
  ),
  {
    method: 'POST',
    path: '/v1/messages',
    fn: 'chat',
    operationId: 'createMessage',
    summary: "Anthropic Messages API format on a model alias (any provider behind it); stream: true for Anthropic's SSE events",
    tag: 'chat',
    access: { kind: 'key', scope: 'chat' },
    body: messagesRequestSchema,
    errorFormat: 'anthropic',
    responses: {
      200: { description: 'A Message, or an SSE stream of message_start … message_stop', schema: anthropicMessageSchema },
      400: anthropicError('Invalid request, or a parameter the target cannot honour'),
      401: error('Missing, unknown, revoked or expired key (answered at the edge, in the OpenAI shape)'),
      403: anthropicError('The key lacks the scope or the model'),
      404: anthropicError('Unknown model alias'),
      429: anthropicError('Over a token quota or budget, or rate limited upstream (usage-plan throttling at the edge answers in the OpenAI shape)'),
      502: anthropicError('The provider failed'),
      504: anthropicError('The provider timed out'),
    },
  },
  {
    method: 'GET',
    path: '/v1/models',
    fn: 'chat',
    operationId: 'listModels',
    summary: 'The model aliases the calling key may use',
    tag: 'models',
    access: { kind: 'key', scope: 'chat' },
    responses: { 200: { description: 'Aliases', schema: modelListSchema }, ...keyErrors },
  },
  {
    method: 'GET',
    path: '/v1/usage',
    fn: 'usage',
    operationId: 'getUsage',
    summary: "The calling key's tenant's usage and cost over a date range: totals, by day, by model and by key",
    tag: 'usage',
    access: { kind: 'key', scope: 'usage:read' },
    query: usageQuerySchema,
    responses: {
      200: { description: 'Usage', schema: usageSchema },
      400: error('A malformed date or filter, an unknown parameter, from after to, or more than 366 days'),
      ...keyErrors,
    },
  },
  {
    method: 'POST',
    path: '/v1/feedback',
    fn: 'usage',
    operationId: 'createFeedback',
    summary: "Feedback on one of the tenant's requests (a later one replaces it), stored on its ledger record",
    tag: 'feedback',
    access: { kind: 'key', scope: 'chat' },
    body: feedbackRequestSchema,
    responses: {
      200: { description: 'The feedback as stored', schema: feedbackResponseSchema },
      400: error('A malformed request id, score, label or comment'),
      404: error("No such request of this tenant (unknown, another tenant's, not yet recorded — streams are recorded at their end — or expired)"),
      ...keyErrors,
    },
  },
  {
    method: 'GET',
    path: '/v1/requests/{requestId}',
    fn: 'usage',
    operationId: 'getRequest',
    summary: "One of the tenant's requests as the ledger recorded it (tokens, cost, status), with its feedback",
    tag: 'usage',
    access: { kind: 'key', scope: 'usage:read' },
    responses: {
      200: { description: 'The request', schema: requestRecordSchema },
      400: error('Not a request id'),
      404: error('No such request of this tenant'),
      ...keyErrors,
    },
  },
  {
    method: 'POST',
    path: '/admin/keys',
    fn: 'admin',
    operationId: 'createKey',
    summary: 'Create a gateway key; the response is the only time the key is shown',
    tag: 'admin',
    access: ADMIN,
    body: createKeyRequestSchema,
    responses: { 201: { description: 'The new key', schema: createdKeySchema }, 400: error('Invalid request'), ...adminErrors },
  },
  {
    method: 'GET',
    path: '/admin/keys',
    fn: 'admin',
    operationId: 'listKeys',
    summary: 'List keys, optionally of one tenant (?tenant=)',
    tag: 'admin',
    access: ADMIN,
    responses: { 200: { description: 'Keys', schema: keyListSchema }, ...adminErrors },
  },
  {
    method: 'GET',
    path: '/admin/keys/{keyId}',
    fn: 'admin',
    operationId: 'getKey',
    summary: 'One key',
    tag: 'admin',
    access: ADMIN,
    responses: { 200: { description: 'The key', schema: keyViewSchema }, 404: error('No such key'), ...adminErrors },
  },
  {
    method: 'POST',
    path: '/admin/keys/{keyId}/revoke',
    fn: 'admin',
    operationId: 'revokeKey',
    summary: 'Revoke a key at once (authorizer caches may honour it for up to auth.cacheTtlSeconds)',
    tag: 'admin',
    access: ADMIN,
    responses: { 200: { description: 'The revoked key', schema: keyViewSchema }, 404: error('No such key'), ...adminErrors },
  },
  {
    method: 'POST',
    path: '/admin/keys/{keyId}/rotate',
    fn: 'admin',
    operationId: 'rotateKey',
    summary: 'Replace a key with a new one; the old one keeps working for the grace period',
    tag: 'admin',
    access: ADMIN,
    body: rotateKeyRequestSchema,
    responses: {
      201: { description: 'The replacement key', schema: createdKeySchema },
      404: error('No such key'),
      409: error('The key is not active'),
      ...adminErrors,
    },
  },
  {
    method: 'GET',
    path: '/admin/usage',
    fn: 'usage',
    operationId: 'getAdminUsage',
    summary: 'Usage and cost of one tenant (?tenant=) or of every tenant over a date range',
    tag: 'admin',
    access: ADMIN,
    query: adminUsageQuerySchema,
    responses: {
      200: { description: 'Usage, in total and per tenant', schema: adminUsageSchema },
      400: error('A malformed date, tenant or filter, an unknown parameter, from after to, or more than 366 days'),
      ...adminErrors,
    },
  },
  {
    method: 'GET',
    path: '/admin/requests/{requestId}',
    fn: 'usage',
    operationId: 'getAdminRequest',
    summary: "Any tenant's request as the ledger recorded it, with its feedback",
    tag: 'admin',
    access: ADMIN,
    responses: {
      200: { description: 'The request', schema: requestRecordSchema },
      400: error('Not a request id'),
      404: error('No such request'),
      ...adminErrors,
    },
  },
];

/** Every resource path with the methods defined on it (for 405 and its Allow header). */
export function methodsByPath(table: readonly RouteSpec<string>[] = routes): ReadonlyMap<string, readonly HttpMethod[]> {
  const map = new Map<string, HttpMethod[]>();
  for (const route of table) {
    const methods = map.get(route.path) ?? [];
    methods.push(route.method);
    map.set(route.path, methods);
  }
  return map;
}

export const routeKey = (method: string, path: string): string => `${method} ${path}`;

/** The resource of the catch-all route that the fallback function serves for unknown paths. */
export const CATCH_ALL_RESOURCE = '/{proxy+}';

/**
 * Functions that answer through Lambda response streaming: their handler runs in Middy's streamify mode and their
 * API Gateway integrations use STREAM transfer mode. Read by both, so the two cannot disagree.
 */
export const STREAMING_FUNCTIONS: ReadonlySet<RouteFunctionName> = new Set<RouteFunctionName>(['chat']);
