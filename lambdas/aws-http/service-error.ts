/** What a call's answer says about it, as the AWS SDK's `$metadata`. */
export interface ResponseMetadata {
  readonly httpStatusCode?: number | undefined;
  readonly requestId?: string | undefined;
  readonly attempts?: number | undefined;
  readonly totalRetryDelay?: number | undefined;
}

/**
 * An exception as the AWS SDK's constructors take it: message and metadata, the answer's other fields beside them.
 * `name` defaults to the class's (the decoder always passes the answer's), `$fault` to 'client'.
 */
export interface ServiceErrorOptions {
  readonly name?: string | undefined;
  readonly message: string;
  readonly $fault?: 'client' | 'server' | undefined;
  readonly $metadata: ResponseMetadata;
  readonly [field: string]: unknown;
}

/** Fields an answer may not overwrite on the error. */
const OWN: ReadonlySet<string> = new Set(['name', 'message', 'stack', 'cause', '$fault', '$metadata', '__type']);

/**
 * An error answer of an AWS JSON service: `name` is the exception's name, `message` its message, `$fault` who is at
 * fault, `$metadata` the HTTP status and request id, and the answer's other fields (CancellationReasons, Item, …)
 * copied on, as the AWS SDK's exceptions carry them. Services subclass it with the names callers check.
 */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: ResponseMetadata;

  constructor(options: ServiceErrorOptions) {
    super(options.message);
    this.name = options.name ?? new.target.name;
    this.$fault = options.$fault ?? 'client';
    this.$metadata = options.$metadata;
    for (const [field, value] of Object.entries(options)) {
      if (!OWN.has(field)) Object.defineProperty(this, field, { value, enumerable: true, writable: true });
    }
  }
}

export type ServiceErrorClass = new (options: ServiceErrorOptions) => AwsServiceError;

/** The exception's name from `x-amzn-ErrorType` or the body's `code`/`__type`: `ns#Name:uri` → `Name`. */
export function errorName(header: string | undefined, body: Readonly<Record<string, unknown>>): string | undefined {
  const raw = [header, body.code, body.__type].find((value): value is string => typeof value === 'string' && !!value);
  if (raw === undefined) return undefined;
  const noUri = raw.split(':')[0] ?? raw;
  return noUri.includes('#') ? noUri.split('#')[1] : noUri;
}

/** The error an error answer means: the service's class of that name if it has one, else an AwsServiceError. */
export function serviceError(
  status: number,
  header: string | undefined,
  body: Readonly<Record<string, unknown>>,
  metadata: ResponseMetadata,
  classes: Readonly<Record<string, ServiceErrorClass>>,
): AwsServiceError {
  const name = errorName(header, body) ?? `Http${status}Error`;
  const text = [body.message, body.Message].find((value): value is string => typeof value === 'string');
  const options: ServiceErrorOptions = {
    ...body,
    name,
    message: text ?? 'UnknownError',
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: metadata,
  };
  const Known = Object.hasOwn(classes, name) ? classes[name] : undefined;
  return Known === undefined ? new AwsServiceError(options) : new Known(options);
}
