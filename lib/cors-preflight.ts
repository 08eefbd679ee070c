import { AuthorizationType, MockIntegration, type Method, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, corsEnabled } from '../lambdas/api/cors.js';
import { CATCH_ALL_RESOURCE, type RouteSpec } from '../lambdas/api/routes.js';
import type { CorsConfig } from '../lambdas/config/cors-schema.js';
import { resourcePaths } from './api-routes.js';

const PREFLIGHT_STATUS = '204';

/** The headers a preflight answer carries for a listed origin (what lambdas/api/cors.ts preflightHeaders gives). */
const allowHeaders = (cors: CorsConfig): Record<string, string> => ({
  'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(','),
  'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(','),
  'Access-Control-Max-Age': String(cors.maxAgeSeconds),
});

/**
 * The mapping template of the preflight answer: the request's Origin, compared with each listed origin; only on a
 * match are Access-Control-Allow-Origin (the origin, as listed) and the allow headers set. An unlisted origin gets a
 * bare 204, which the browser refuses: no static Access-Control-Allow-Origin (CDK's addCorsPreflight sends the first
 * listed origin to everyone).
 */
export function preflightTemplate(cors: CorsConfig): string {
  const lines = [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end',
  ];
  cors.allowedOrigins.forEach((origin, i) => {
    lines.push(`#${i === 0 ? 'if' : 'elseif'}("$!origin" == "${origin}")`);
    lines.push(`#set($context.responseOverride.header.Access-Control-Allow-Origin = "${origin}")`);
    for (const [name, value] of Object.entries(allowHeaders(cors)))
      lines.push(`#set($context.responseOverride.header.${name} = "${value}")`);
  });
  lines.push('#end');
  return lines.join('\n');
}

/**
 * CORS preflights at the edge when `cors.allowedOrigins` lists any origin: an OPTIONS method with a mock integration
 * (no function, no key) on every resource of the route table and on the catch-all, so OPTIONS never reaches the
 * fallback's ANY (an explicit method wins). None while CORS is off: OPTIONS stays a 405 from the fallback.
 */
export function addCorsPreflights(api: RestApi, table: readonly RouteSpec[], cors: CorsConfig): Method[] {
  if (!corsEnabled(cors)) return [];
  const integration = new MockIntegration({
    requestTemplates: { 'application/json': '{ "statusCode": 200 }' },
    integrationResponses: [
      {
        statusCode: PREFLIGHT_STATUS,
        responseParameters: { 'method.response.header.Vary': "'Origin'" },
        responseTemplates: { 'application/json': preflightTemplate(cors) },
      },
    ],
  });
  const declared = ['Vary', 'Access-Control-Allow-Origin', ...Object.keys(allowHeaders(cors))];
  return [...resourcePaths(table), CATCH_ALL_RESOURCE].map((path) =>
    api.root.resourceForPath(path).addMethod('OPTIONS', integration, {
      authorizationType: AuthorizationType.NONE,
      apiKeyRequired: false,
      methodResponses: [
        {
          statusCode: PREFLIGHT_STATUS,
          responseParameters: Object.fromEntries(declared.map((name) => [`method.response.header.${name}`, false])),
        },
      ],
    }),
  );
}
