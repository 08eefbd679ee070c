import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';
import { badRequest, payloadTooLarge, unsupportedMediaType } from '../core/errors.js';
import { header } from '../core/http.js';
import { jsonPath } from '../config/json-path.js';
import { fastBodyChecks } from '../api/fast-body-checks.js';
import { gatewayRequestOf, setGatewayRequest } from '../runtime/request-state.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';
import type { GatewayMiddleware, MiddyRequest, SchemaSource } from '../runtime/types.js';
import type { Route } from '../api/route-spec.js';
import { phaseMark } from '../observability/phase-marks.js';

const JSON_MEDIA_TYPE = /^application\/json\s*(;.*)?$/i;

/** The byte length of the body as the client sent it. */
export function bodyBytes(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): number {
  if (event.body == null) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').byteLength : Buffer.byteLength(event.body, 'utf8');
}

type Issue = z.core.$ZodIssue;

/**
 * A union's failure named by its closest branch: the one whose first issue lies deepest (a bad field inside a block
 * rather than "not a string"), with the union's path in front — so `cache_control.ttl` is named, not just `content`.
 * A union whose schema gives its own message (zod's default is "Invalid input") is named as a whole: the author
 * explained the alternatives there (e.g. embeddings' `input`).
 */
const ZOD_UNION_DEFAULT = 'Invalid input';

function deepest(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || issue.message !== ZOD_UNION_DEFAULT) return issue;
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first === undefined) continue;
    const inner = deepest(first);
    if (best === undefined || inner.path.length > best.path.length) best = inner;
  }
  if (best === undefined || best.path.length === 0) return issue;
  return { ...best, path: [...issue.path, ...best.path] };
}

/** The 400's message and `param` for a body the schema refused: its first issue, a union's by its closest branch. */
export function firstIssue(error: z.ZodError): { message: string; param: string | null } {
  const first = error.issues[0];
  if (first === undefined) return { message: 'Invalid request body.', param: null };
  const issue = deepest(first);
  const param = issue.path.length > 0 ? jsonPath(issue.path).replace(/^\$\.?/, '') : null;
  return { message: `Invalid request body${param ? ` at ${param}` : ''}: ${issue.message}`, param };
}

/**
 * For routes with a body schema: 415 unless JSON, 413 past the size limit, 400 for malformed JSON, JSON nested deeper
 * than MAX_JSON_DEPTH (`json_too_deep`), or a body the schema rejects (naming the first offending field in `param`).
 * The validated value lands on the request. A body a zod-free check is sure of (api/fast-body-checks.ts) is taken as
 * it is; otherwise the schema comes from `schemasOf` once the body is parsed (the route table's schemas are loaded on
 * the first request that needs one: api/route-schemas.ts).
 */
export function jsonBody(maxBytes: () => number, schemasOf: SchemaSource): GatewayMiddleware {
  // Each route's body schema once loaded: later requests skip the loader's promise chain (a dynamic import).
  const bodySchemas = new WeakMap<Route<string>, z.ZodType>();
  const loadBodySchema = async (route: Route<string>): Promise<z.ZodType> => {
    const schema = (await schemasOf(route))?.body;
    if (schema === undefined) throw new Error(`route ${route.operationId} has no body schema`);
    bodySchemas.set(route, schema);
    return schema;
  };
  const before = async (request: MiddyRequest): Promise<void> => {
    const gateway = gatewayRequestOf(request.event);
    const route = gateway?.route;
    if (gateway === undefined || route?.hasBody !== true) return;
    phaseMark?.('json body in');
    const { event } = request;
    const contentType = header(event, 'content-type');
    if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) throw unsupportedMediaType(contentType);
    const limit = maxBytes();
    if (bodyBytes(event) > limit) throw payloadTooLarge(limit);
    const text =
      event.isBase64Encoded && event.body != null ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    let raw: unknown;
    try {
      raw = JSON.parse(text ?? '');
    } catch {
      throw badRequest('The request body is not valid JSON.', 'invalid_json');
    }
    // Before the schema and everything after it: deep nesting would fail later, as a 500 or an upstream "fault".
    if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
      throw badRequest(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`, 'json_too_deep');
    }
    phaseMark?.('json parsed');
    // A plain body a zod-free check is sure of (api/fast-body-checks.ts): no schema load, no zod parse.
    const plain = fastBodyChecks.get(route.operationId)?.(raw);
    if (plain !== undefined) {
      setGatewayRequest(request.event, { ...gateway, body: plain });
      phaseMark?.('body validated');
      return;
    }
    const schema = bodySchemas.get(route) ?? (await loadBodySchema(route));
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const { message, param } = firstIssue(parsed.error);
      throw badRequest(message, 'invalid_request_body', param);
    }
    setGatewayRequest(request.event, { ...gateway, body: parsed.data });
    phaseMark?.('body validated');
  };
  return { name: 'jsonBody', before };
}
