import { AzureOpenAI } from 'openai';
import '../openai/openai-errors.js';
import type { ProviderConfig } from '../../config/schema.js';
import { DEFAULT_AZURE_API_VERSION } from '../../config/vendor-schemas.js';
import { nodeFetch } from '../../transport/node-fetch.js';
import { entraTokenProvider, parseEntraCredential } from './entra-token.js';

type AzureConfig = Extract<ProviderConfig, { type: 'azure-openai' }>;

/**
 * The openai SDK's Azure client for an `azure-openai` provider: the resource endpoint (the SDK adds /openai), the
 * api-version on every request, the deployment taken from each request's `model` (a target's model is its deployment:
 * /openai/deployments/{model}/chat/completions and /embeddings), the key as `api-key` — or, with `auth: "entra"`, a
 * bearer token from the service principal in the secret (entra-token.ts). The gateway's transport, timeout, no SDK
 * retries (the router retries) and no SDK logging, as for OpenAI.
 */
export function azureOpenAIClient(name: string, config: AzureConfig, secret: string, timeoutMs: number): AzureOpenAI {
  const credential =
    config.auth === 'entra'
      ? { azureADTokenProvider: entraTokenProvider(name, parseEntraCredential(name, secret)) }
      : { apiKey: secret };
  return new AzureOpenAI({
    // Nothing from the environment: the SDK reads OPENAI_BASE_URL when baseURL is undefined (and then refuses the
    // endpoint beside it), AZURE_OPENAI_API_KEY when apiKey is (and then refuses it beside a token provider).
    baseURL: null,
    apiKey: '',
    endpoint: config.endpoint,
    apiVersion: config.apiVersion ?? DEFAULT_AZURE_API_VERSION,
    ...credential,
    timeout: timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
    fetch: nodeFetch,
    organization: null,
    project: null,
  });
}
