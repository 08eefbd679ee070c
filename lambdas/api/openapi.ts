import { z } from 'zod';
import { keyIntakeOf } from '../auth/key-intake.js';
import { REQUEST_EXAMPLES } from './openapi-examples.js';
import { routes, type RouteSpec } from './routes.js';

type JsonObject = Record<string, unknown>;
type SchemaRegistry = ReturnType<typeof z.registry<{ id: string }>>;

const COMPONENTS = '#/components/schemas/';

function idOf(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (typeof id !== 'string') throw new Error('every schema in the route table needs .meta({ id })');
  return id;
}

/** Components for the registered schemas, without the per-schema $schema/$id that OpenAPI does not want. */
function components(registry: SchemaRegistry, io: 'input' | 'output'): JsonObject {
  const { schemas } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', uri: (id) => `${COMPONENTS}${id}` });
  const out: JsonObject = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as JsonObject;
    out[id] = rest;
  }
  return out;
}

/** One query parameter per field of the route's query schema, its description and JSON Schema from the field. */
function queryParameters(query: z.ZodObject): JsonObject[] {
  const fields: [string, z.ZodType][] = Object.entries(query.shape);
  return fields.map(([name, field]) => {
    const {
      $schema: _s,
      description,
      ...schema
    } = z.toJSONSchema(field, { io: 'input', target: 'draft-2020-12' }) as JsonObject;
    return {
      name,
      in: 'query',
      required: !field.safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema,
    };
  });
}

/**
 * Who may call: the gateway key as a Bearer token (every key route; Swagger UI's "Authorize" fills it in), or in
 * `x-api-key` where the route takes it (the Anthropic-format routes); the admin key locally, SigV4 in AWS.
 */
const SECURITY_SCHEMES: JsonObject = {
  gatewayKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'A gateway key (`llm-gateway keys create`): `Authorization: Bearer <key>`.',
  },
  gatewayApiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'A gateway key in `x-api-key`, as Anthropic clients send it (Anthropic-format routes only).',
  },
  adminKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'Locally: the admin key (`.gateway-data/local-admin-key`, or `GATEWAY_ADMIN_KEY`). In AWS the admin routes take IAM ' +
      'instead: requests signed with SigV4 (service `execute-api`) by a principal allowed `execute-api:Invoke` on ' +
      '`/admin/*` (README "Deploy"); the `llm-gateway` CLI signs them.',
  },
  awsSigV4: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'In AWS: an AWS Signature Version 4 `Authorization` header (service `execute-api`).',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  },
};

/** The route's security requirements from its access: alternatives, any one of which admits the call. */
function securityOf(route: RouteSpec): JsonObject[] {
  switch (route.access.kind) {
    case 'open':
      return [];
    case 'admin':
      return [{ adminKey: [] }, { awsSigV4: [] }];
    case 'key':
      // The intake with API Gateway's authorizer cache on (the default): x-api-key only where it is accepted anyway.
      return keyIntakeOf(route, 1) === 'bearer-or-x-api-key'
        ? [{ gatewayKey: [] }, { gatewayApiKey: [] }]
        : [{ gatewayKey: [] }];
  }
}

function operation(route: RouteSpec, inputs: SchemaRegistry, outputs: SchemaRegistry): JsonObject {
  const responses: JsonObject = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const contentType = spec.contentType ?? 'application/json';
    let schema: JsonObject = {};
    if (spec.schema !== undefined) {
      const id = idOf(spec.schema);
      if (!outputs.has(spec.schema)) outputs.add(spec.schema, { id });
      schema = { $ref: `${COMPONENTS}${id}` };
    }
    responses[status] = { description: spec.description, content: { [contentType]: { schema } } };
  }
  const op: JsonObject = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: securityOf(route),
    responses,
  };
  const params: JsonObject[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query !== undefined) params.push(...queryParameters(route.query));
  if (params.length > 0) op.parameters = params;
  if (route.body !== undefined) {
    const id = idOf(route.body);
    if (!inputs.has(route.body)) inputs.add(route.body, { id });
    const example = REQUEST_EXAMPLES[route.operationId];
    const media: JsonObject = { schema: { $ref: `${COMPONENTS}${id}` }, ...(example === undefined ? {} : { example }) };
    op.requestBody = { required: true, content: { 'application/json': media } };
  }
  return op;
}

/**
 * The OpenAPI 3.1 document, generated from the route table and the same zod schemas that validate requests.
 * `serverUrl` is where the API is mounted (the stage path in AWS, "/" locally).
 */
export function openApiDocument(serverUrl: string, version = '0.1.0'): JsonObject {
  const inputs = z.registry<{ id: string }>();
  const outputs = z.registry<{ id: string }>();
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    if (route.hidden) continue;
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route, inputs, outputs);
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'LLM Gateway',
      version,
      description:
        'One OpenAI-compatible API in front of the LLM providers, with an Anthropic-compatible /v1/messages. Errors use the OpenAI ' +
        "error shape; /v1/messages uses Anthropic's (except the 401 and throttling answered at the edge).",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { ...components(outputs, 'output'), ...components(inputs, 'input') },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
