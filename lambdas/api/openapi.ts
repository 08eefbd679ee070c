import { z } from 'zod';
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
  const op: JsonObject = { operationId: route.operationId, summary: route.summary, tags: [route.tag], responses };
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
    op.requestBody = { required: true, content: { 'application/json': { schema: { $ref: `${COMPONENTS}${id}` } } } };
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
    components: { schemas: { ...components(outputs, 'output'), ...components(inputs, 'input') } },
  };
}
