import { randomBytes } from 'node:crypto';

/**
 * X-Ray subsegment documents, written without the X-Ray SDK: the fields of an independently sent subsegment
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html) for one upstream call, placed
 * under the segment of the invocation's trace header the way the SDK's Lambda facade segment places them.
 */

/** Where a subsegment goes: the invocation's trace (Root) and the Lambda function segment (Parent). */
export interface TraceParent {
  readonly traceId: string;
  readonly parentId: string;
}

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;

/**
 * The trace and parent of a trace header (`Root=1-…;Parent=…;Sampled=1[;Lineage=…]`, keys in any case), or undefined
 * when the invocation is not sampled (Sampled=0, or no decision) or the header lacks a valid Root or Parent: then
 * nothing is sent.
 */
export function sampledParent(header: string | undefined): TraceParent | undefined {
  if (header === undefined || header === '') return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const traceId = fields.get('root') ?? '';
  const parentId = fields.get('parent') ?? '';
  if (fields.get('sampled') !== '1' || !TRACE_ID.test(traceId) || !SEGMENT_ID.test(parentId)) return undefined;
  return { traceId, parentId };
}

/** A new segment or exception id: 64 random bits as 16 hex digits. */
export const newSegmentId = (): string => randomBytes(8).toString('hex');

/** Epoch seconds, fractional (X-Ray's start_time / end_time). */
export const epochSeconds = (): number => Date.now() / 1000;

type Annotation = string | number | boolean;

/** A remote call that ended: what its document says. */
export interface RemoteCall {
  readonly name: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly annotations: Readonly<Record<string, Annotation>>;
  /** The call's status (HTTP-like): 429 throttle, other 4xx error, 5xx fault. */
  readonly status: number;
  /** What it failed with, if it did (shown as the subsegment's cause, a remote exception). */
  readonly failure?: { readonly type: string; readonly message: string };
}

/** X-Ray's limit on an annotation string is 1,000 characters; a message is kept as short. */
const MAX_TEXT = 1000;

/** The subsegment document of `call`, under `parent`, as X-Ray reads it. */
export function subsegmentDocument(parent: TraceParent, call: RemoteCall): Record<string, unknown> {
  const { status, failure } = call;
  const fault = status >= 500;
  const error = status >= 400 && status < 500;
  return {
    name: call.name,
    id: newSegmentId(),
    trace_id: parent.traceId,
    parent_id: parent.parentId,
    type: 'subsegment',
    start_time: call.startTime,
    end_time: call.endTime,
    namespace: 'remote',
    annotations: call.annotations,
    error,
    throttle: status === 429,
    fault,
    ...(failure === undefined
      ? {}
      : {
          cause: {
            exceptions: [
              {
                id: newSegmentId(),
                type: failure.type.slice(0, MAX_TEXT),
                message: failure.message.slice(0, MAX_TEXT),
                remote: true,
              },
            ],
          },
        }),
  };
}
