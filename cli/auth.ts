import { readAdminKey } from './admin-key.js';
import type { Endpoint } from './endpoint.js';
import type { Redactor } from './redact.js';
import type { Authenticate } from './outgoing-request.js';
import type { CredentialsProvider } from './sigv4.js';

export interface AuthContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly redactor: Redactor;
  /** Overrides the AWS provider chain (tests). */
  readonly credentials?: CredentialsProvider;
}

/** The admin key as a bearer token locally; SigV4 for a deployed stack (the AWS SDK is loaded only then). */
export async function authenticatorFor(endpoint: Endpoint, context: AuthContext): Promise<Authenticate> {
  if (endpoint.kind === 'aws') {
    const { sigV4Authenticator } = await import('./sigv4.js');
    return sigV4Authenticator(endpoint.region, context.redactor, context.credentials);
  }
  const adminKey = readAdminKey(context.env, context.cwd);
  context.redactor.add(adminKey);
  return async (request) => ({ ...request.headers, authorization: `Bearer ${adminKey}` });
}
