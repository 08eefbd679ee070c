import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4, type SignatureV4Init } from '@smithy/signature-v4';
import { CliError } from './errors.js';
import type { Redactor } from './redact.js';
import type { Authenticate, OutgoingRequest } from './outgoing-request.js';

export type CredentialsProvider = Exclude<SignatureV4Init['credentials'], { accessKeyId: string }>;

/** Everything `url.searchParams` holds, for the canonical query of the signature. */
function queryOf(url: URL): Record<string, string> {
  // fromEntries: a parameter named `__proto__` is an own entry like any other (an assignment would drop it).
  return Object.fromEntries(url.searchParams);
}

/**
 * SigV4 for API Gateway (service `execute-api`), as IAM-authorised admin routes require. Credentials come from the
 * Node provider chain (environment, AWS_PROFILE/SSO, container or instance role) unless the caller passes a provider.
 */
export function sigV4Authenticator(region: string, redactor: Redactor, provider?: CredentialsProvider): Authenticate {
  const credentials = provider ?? fromNodeProviderChain();
  return async (request: OutgoingRequest) => {
    const identity = await credentials().catch((err: unknown) => {
      throw new CliError(
        `no AWS credentials for the deployed gateway: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    redactor.add(identity.secretAccessKey);
    redactor.add(identity.sessionToken);
    const signer = new SignatureV4({ service: 'execute-api', region, credentials: identity, sha256: Sha256 });
    const { url } = request;
    const signed = await signer.sign(
      new HttpRequest({
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query: queryOf(url),
        headers: { ...request.headers, host: url.host },
        ...(request.body === undefined ? {} : { body: request.body }),
      }),
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) {
      // fetch sets Host from the URL, the same value that was signed.
      if (name.toLowerCase() !== 'host' && typeof value === 'string') headers[name] = value;
    }
    return headers;
  };
}
