/** The Lambda runtime's record of the invocation's trace header, where it keeps one (managed-concurrency runtimes). */
interface InvokeStoreGlobal {
  readonly awslambda?: { readonly InvokeStore?: { getXRayTraceId?(): string | undefined } };
}

/**
 * The X-Ray trace id a log line carries (`xray_trace_id`): the `Root` of the invocation's trace header, read as
 * Powertools Logger reads it (@aws-lambda-powertools/commons `getXRayTraceIdFromEnv`: the InvokeStore's header, else
 * `_X_AMZN_TRACE_ID` trimmed; a header without `=` is the id itself; the last `Root` field wins), so the gateway's
 * own request line (gateway-logger.ts) carries the same value as Powertools' lines.
 */
export function traceRoot(): string | undefined {
  const header =
    (globalThis as InvokeStoreGlobal).awslambda?.InvokeStore?.getXRayTraceId?.() ??
    process.env._X_AMZN_TRACE_ID?.trim() ??
    '';
  if (header === '') return undefined;
  if (!header.includes('=')) return header;
  let root: string | undefined;
  for (const field of header.split(';')) {
    const [key, value] = field.split('=');
    if (key === 'Root') root = value;
  }
  return root;
}
