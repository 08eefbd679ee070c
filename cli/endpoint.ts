import { UsageError } from './errors.js';

export const DEFAULT_URL = 'http://127.0.0.1:8001';

/** `https://<api id>.execute-api.<region>.amazonaws.com[.cn]`: a deployed stack's own API Gateway host. */
const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/i;

/** Where the admin API is and how to authenticate to it. */
export type Endpoint =
  | { readonly kind: 'local'; readonly baseUrl: URL }
  | { readonly kind: 'aws'; readonly baseUrl: URL; readonly region: string };

type Env = Readonly<Record<string, string | undefined>>;

/** The AWS region of an execute-api host, or undefined for any other host. */
export const executeApiRegion = (host: string): string | undefined => EXECUTE_API_HOST.exec(host)?.[1]?.toLowerCase();

/** The base URL without query or fragment; its path (an API Gateway stage) is kept. */
function parseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url: "${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--url: "${text}" is not an http(s) URL`);
  if (url.username !== '' || url.password !== '')
    throw new UsageError('--url: credentials in the URL are not supported');
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * --url, else GATEWAY_URL, else the local gateway (where it wrote it listens, `discovered`, else port 8001); SigV4
 * for execute-api hosts or when --aws forces it.
 */
export function resolveEndpoint(
  options: { readonly url?: string; readonly aws: boolean },
  env: Env,
  discovered: () => string | undefined = () => undefined,
): Endpoint {
  const baseUrl = parseBaseUrl(options.url ?? (env.GATEWAY_URL || discovered() || DEFAULT_URL));
  const hostRegion = executeApiRegion(baseUrl.hostname);
  if (hostRegion !== undefined) return { kind: 'aws', baseUrl, region: hostRegion };
  if (!options.aws) return { kind: 'local', baseUrl };
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('--aws: set AWS_REGION to the region of the stack');
  return { kind: 'aws', baseUrl, region };
}

/** The URL as shown to people: no credentials, no trailing slash. */
export const displayUrl = (url: URL): string => `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
