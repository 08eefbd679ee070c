import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

/**
 * The Bedrock runtime client of a region, built once per process and reused by every call (its connections with it).
 * Credentials: the SDK's default chain (in Lambda the function's role; locally the usual AWS chain), never the
 * provider secret. Endpoint: the SDK's own, or `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` (the SDK's standard override,
 * which the tests point at a fake runtime). The SDK's default transport for this service: HTTP/2, a session per
 * call. No SDK retries (the router owns retries and failover); each call passes its own `requestTimeout` (the HTTP/2
 * stream's inactivity limit: a silent runtime fails the call with a TimeoutError).
 */
const clients = new Map<string, BedrockRuntimeClient>();

export function bedrockClientFor(region: string): BedrockRuntimeClient {
  let client = clients.get(region);
  if (client === undefined) {
    client = new BedrockRuntimeClient({ region, maxAttempts: 1 });
    clients.set(region, client);
  }
  return client;
}

/** Closes every region's client (tests that move the endpoint; process shutdown). */
export function closeBedrockClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}
