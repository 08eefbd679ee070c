/** Where a service's calls go, and the region they are signed for. */
export interface ServiceEndpoint {
  readonly url: URL;
  readonly region: string;
}

/** A service as the endpoint settings name it. */
export interface EndpointNames {
  /** The hostname prefix of the AWS endpoint and the SigV4 service name: `dynamodb`, `secretsmanager`. */
  readonly hostPrefix: string;
  /** The service's own endpoint variable, as the AWS SDK reads it: `AWS_ENDPOINT_URL_DYNAMODB`, … */
  readonly envVar: string;
}

/** A client's endpoint and region could not be resolved (no region and no endpoint). */
export class EndpointError extends Error {
  override readonly name = 'EndpointError';
}

/**
 * A client's endpoint, with the AWS SDK's precedence of its environment configuration: the client's own `endpoint`
 * (store/client.ts passes DYNAMODB_ENDPOINT there), then the service's `AWS_ENDPOINT_URL_<SERVICE>`, then
 * `AWS_ENDPOINT_URL`, then `https://<service>.<region>.amazonaws.com`. The region: the client's, else AWS_REGION
 * (what Lambda sets), else AWS_DEFAULT_REGION.
 */
export function resolveEndpoint(
  names: EndpointNames,
  configured: { readonly endpoint?: string | undefined; readonly region?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): ServiceEndpoint {
  const region = configured.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  const given = configured.endpoint ?? (env[names.envVar] || env.AWS_ENDPOINT_URL || undefined);
  if (given !== undefined) {
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new EndpointError(`the ${names.hostPrefix} endpoint is not a URL`);
    }
    return { url, region: region ?? 'us-east-1' };
  }
  if (region === undefined) {
    throw new EndpointError(`no AWS region for ${names.hostPrefix}: set AWS_REGION (Lambda sets it)`);
  }
  return { url: new URL(`https://${names.hostPrefix}.${region}.amazonaws.com/`), region };
}
