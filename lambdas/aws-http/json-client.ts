import { randomUUID } from 'node:crypto';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { environmentCredentials, type AwsCredentials } from './credentials.js';
import { resolveEndpoint, type EndpointNames, type ServiceEndpoint } from './endpoint.js';
import { abortError, agentFor, post, type HttpAnswer } from './http-post.js';
import { backoffMs, retryKind, RetryQuota } from './retry.js';
import { serviceError, type ResponseMetadata, type ServiceErrorClass } from './service-error.js';
import { signRequest } from './sigv4.js';

/** A client's settings, named as the AWS SDK's client configuration. */
export interface AwsClientConfig {
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** Fixed credentials (the local store's); else the environment's, read on the first call. */
  readonly credentials?: AwsCredentials | undefined;
  /** Attempts per call, the first included (the SDK's default: 3). */
  readonly maxAttempts?: number | undefined;
}

/** An AWS JSON protocol: its endpoint names, `X-Amz-Target` prefix, content type, and exceptions by name. */
export interface JsonProtocol extends EndpointNames {
  readonly targetPrefix: string;
  readonly contentType: string;
  readonly exceptions: Readonly<Record<string, ServiceErrorClass>>;
  /** Turns an answer's JSON text into the output (DynamoDB: binary attributes to bytes). */
  readonly parse: (text: string) => unknown;
  /** Fills what the SDK fills for an operation (DynamoDB: TransactWriteItems' idempotency token). */
  readonly prepare?: (operation: string, input: object) => object;
}

export interface SendOptions {
  readonly abortSignal?: AbortSignal | undefined;
}

/** A command: the operation's name and its input (the output type rides along for `send`). */
export interface JsonCommand<Input extends object, Output> {
  readonly operation: string;
  readonly input: Input;
  /** Never set: carries the output type. */
  readonly outputType?: Output;
}

/** What the SDK tells the service of a call: one id for all its attempts, and which attempt this is. */
interface CallIdentity {
  readonly invocationId: string;
  readonly maxAttempts: number;
}

interface Resolved extends ServiceEndpoint {
  readonly credentials: AwsCredentials;
  readonly agent: HttpAgent | HttpsAgent;
}

/** JSON.stringify that sends bytes (Uint8Array, Buffer) as base64, as the AWS JSON protocols want blobs. */
function toJson(input: object): string {
  return JSON.stringify(input, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array
      ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64')
      : value;
  });
}

const wait = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const header = (answer: HttpAnswer, name: string): string | undefined => {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * A client of one AWS JSON-protocol service: signs each call (SigV4), POSTs it on the client's keep-alive agent,
 * retries as the SDK's standard mode (retry.ts), and maps an error answer to the service's exception class. Nothing
 * is resolved before the first call: a process without credentials or region fails on its call, not at import.
 */
export class JsonServiceClient {
  private resolved: Resolved | undefined;
  private readonly quota = new RetryQuota();

  constructor(
    private readonly protocol: JsonProtocol,
    readonly config: AwsClientConfig = {},
  ) {}

  async send<Input extends object, Output>(
    command: JsonCommand<Input, Output>,
    options: SendOptions = {},
  ): Promise<Output> {
    const target = this.resolve();
    const input = this.protocol.prepare?.(command.operation, command.input) ?? command.input;
    const body = Buffer.from(toJson(input));
    const maxAttempts = Math.max(1, this.config.maxAttempts ?? 3);
    const signal = options.abortSignal;
    let totalRetryDelay = 0;
    let retryCost: number | undefined;
    const call: CallIdentity = { invocationId: randomUUID(), maxAttempts };
    for (let attempt = 1; ; attempt++) {
      try {
        const output = await this.attempt(target, command.operation, body, signal, call, attempt, totalRetryDelay);
        this.quota.succeeded(retryCost);
        return output as Output;
      } catch (err) {
        const kind = retryKind(err);
        if (kind === undefined || attempt >= maxAttempts || signal?.aborted) throw err;
        retryCost = this.quota.take(kind);
        if (retryCost === undefined) throw err;
        const pause = backoffMs(kind, attempt - 1);
        totalRetryDelay += pause;
        await wait(pause, signal);
      }
    }
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.resolved?.agent.destroy();
    this.resolved = undefined;
  }

  private resolve(): Resolved {
    if (this.resolved !== undefined) return this.resolved;
    const endpoint = resolveEndpoint(this.protocol, this.config);
    const credentials = this.config.credentials ?? environmentCredentials();
    this.resolved = { ...endpoint, credentials, agent: agentFor(endpoint.url) };
    return this.resolved;
  }

  private async attempt(
    target: Resolved,
    operation: string,
    body: Buffer,
    signal: AbortSignal | undefined,
    call: CallIdentity,
    attempts: number,
    totalRetryDelay: number,
  ): Promise<unknown> {
    const { url, region, credentials } = target;
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': this.protocol.contentType,
      'content-length': String(body.length),
      'x-amz-target': `${this.protocol.targetPrefix}.${operation}`,
      'amz-sdk-invocation-id': call.invocationId,
      'amz-sdk-request': `attempt=${attempts}; max=${call.maxAttempts}`,
    };
    const path = url.pathname || '/';
    Object.assign(
      headers,
      signRequest({ method: 'POST', path, headers, body }, { credentials, region, service: this.protocol.hostPrefix }),
    );
    const answer = await post(url, headers, body, target.agent, signal);
    const metadata: ResponseMetadata = {
      httpStatusCode: answer.status,
      requestId: header(answer, 'x-amzn-requestid'),
      attempts,
      totalRetryDelay,
    };
    const text = answer.body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : this.protocol.parse(text);
    } catch {
      parsed = undefined;
    }
    const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    if (answer.status >= 300 || parsed === undefined) {
      throw serviceError(answer.status, header(answer, 'x-amzn-errortype'), fields, metadata, this.protocol.exceptions);
    }
    return { ...fields, $metadata: metadata };
  }
}
