import { GatewayError } from '../../core/errors.js';
import { nodeFetch } from '../../transport/node-fetch.js';

/**
 * Microsoft Entra ID for Azure OpenAI (`auth: "entra"`). In AWS there is no Azure managed identity, so the gateway
 * uses a service principal's client credentials, kept where every provider key is (the secret, or locally the
 * provider's environment variable) as JSON: { "tenantId", "clientId", "clientSecret", "authorityHost"? } —
 * authorityHost for sovereign clouds (default https://login.microsoftonline.com). The token (client-credentials
 * grant, scope https://cognitiveservices.azure.com/.default) is cached until 5 minutes before it expires, fetched
 * once at a time. A credential that is not that JSON, or a token request that fails, is the provider's
 * authentication failing (`provider_authentication_failed`: the next target); no secret goes into a message.
 */
export interface EntraCredential {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authorityHost: string;
}

export const ENTRA_SCOPE = 'https://cognitiveservices.azure.com/.default';
const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';
const EARLY_MS = 5 * 60_000;
const TOKEN_TIMEOUT_MS = 10_000;

const authFailure = (provider: string, why: string): GatewayError =>
  new GatewayError({
    message: `Provider ${provider} authentication failed: ${why}.`,
    code: 'provider_authentication_failed',
  });

const text = (value: unknown): value is string => typeof value === 'string' && value !== '';

export function parseEntraCredential(provider: string, secret: string): EntraCredential {
  let value: unknown;
  try {
    value = JSON.parse(secret);
  } catch {
    value = undefined;
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { tenantId, clientId, clientSecret, authorityHost } = fields;
  if (
    !text(tenantId) ||
    !text(clientId) ||
    !text(clientSecret) ||
    (authorityHost !== undefined && !text(authorityHost))
  ) {
    throw authFailure(provider, 'its Entra credential is not {"tenantId","clientId","clientSecret"}');
  }
  return { tenantId, clientId, clientSecret, authorityHost: (authorityHost ?? DEFAULT_AUTHORITY).replace(/\/+$/, '') };
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export function entraTokenProvider(
  provider: string,
  credential: EntraCredential,
  fetchFn: Fetch = nodeFetch,
  now: () => number = Date.now,
): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function request(): Promise<string> {
    const url = `${credential.authorityHost}/${encodeURIComponent(credential.tenantId)}/oauth2/v2.0/token`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credential.clientId,
      client_secret: credential.clientSecret,
      scope: ENTRA_SCOPE,
    }).toString();
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
    } catch {
      throw authFailure(provider, 'the Entra ID token endpoint could not be reached');
    }
    const answer = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    if (!response.ok || !text(answer.access_token)) {
      throw authFailure(provider, `the Entra ID token request was refused (HTTP ${response.status})`);
    }
    const seconds = Number(answer.expires_in);
    const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
    cached = { token: answer.access_token, until: now() + lifetime - EARLY_MS };
    return answer.access_token;
  }

  return async () => {
    if (cached !== undefined && now() < cached.until) return cached.token;
    inflight ??= request().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
}
