import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CliError } from './errors.js';
import type { Redactor } from './redact.js';
import type { CredentialsProvider } from './sigv4.js';

/** The AWS services the stack commands call, with their SigV4 name and the variable that overrides the endpoint. */
export const AWS_SERVICES = {
  cloudformation: {
    signingName: 'cloudformation',
    host: 'cloudformation',
    endpointEnv: 'AWS_ENDPOINT_URL_CLOUDFORMATION',
  },
  apigateway: { signingName: 'apigateway', host: 'apigateway', endpointEnv: 'AWS_ENDPOINT_URL_API_GATEWAY' },
} as const;
export type AwsService = keyof typeof AWS_SERVICES;

export interface AwsCall {
  readonly service: AwsService;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path and query below the service endpoint, already encoded. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface AwsAnswer {
  readonly status: number;
  readonly text: string;
}

export type AwsSend = (call: AwsCall) => Promise<AwsAnswer>;

export interface AwsContext {
  readonly region: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly redactor: Redactor;
  readonly fetch: typeof fetch;
  readonly credentials?: CredentialsProvider;
}

const TIMEOUT_MS = 30_000;

/** `https://<service>.<region>.amazonaws.com` (`.com.cn` in China), or the endpoint AWS_ENDPOINT_URL_<SERVICE> names. */
function endpointOf(service: AwsService, context: AwsContext): URL {
  const spec = AWS_SERVICES[service];
  const override = context.env[spec.endpointEnv] || context.env.AWS_ENDPOINT_URL;
  if (override) return new URL(override);
  const suffix = context.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${spec.host}.${context.region}.${suffix}`);
}

/**
 * Plain HTTPS calls to AWS APIs, signed with SigV4 for the service and region, with the credentials of the Node
 * provider chain (environment, AWS_PROFILE/SSO, container or instance role) unless a provider is given.
 */
export function awsSender(context: AwsContext): AwsSend {
  const credentials = context.credentials ?? fromNodeProviderChain();
  return async (call) => {
    const identity = await credentials().catch((err: unknown) => {
      throw new CliError(`no AWS credentials: ${err instanceof Error ? err.message : String(err)}`);
    });
    context.redactor.add(identity.secretAccessKey);
    context.redactor.add(identity.sessionToken);
    const base = endpointOf(call.service, context);
    const url = new URL(call.path, base);
    const signer = new SignatureV4({
      service: AWS_SERVICES[call.service].signingName,
      region: context.region,
      credentials: identity,
      sha256: Sha256,
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: call.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...call.headers, host: url.host },
        ...(call.body === undefined ? {} : { body: call.body }),
      }),
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) {
      if (name.toLowerCase() !== 'host' && typeof value === 'string') headers[name] = value;
    }
    try {
      const response = await context.fetch(url, {
        method: call.method,
        headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { status: response.status, text: await response.text() };
    } catch (err) {
      const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
      throw new CliError(`${call.service} at ${base.origin} is not reachable (${String(cause ?? err)})`);
    }
  };
}
