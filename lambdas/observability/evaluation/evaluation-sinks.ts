import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EvaluationEvent } from './evaluation-event.js';

/** Where evaluation events go. `send` resolves once the event is stored, rejects when it was not. */
export interface EvaluationSink {
  /** For logs and the HookFailures metric: `eventbridge` or `file`. */
  readonly kind: string;
  send(event: EvaluationEvent, signal: AbortSignal): Promise<void>;
}

/** The variable through which the chat function learns the evaluation bus (set by the stack, lib/function-construct.ts). */
export const EVALUATION_BUS_ENV = 'EVALUATION_BUS_NAME';
/** Locally: the JSONL file events are appended to (default `<GATEWAY_DATA_DIR>/evaluation-events.jsonl`). */
export const EVALUATION_FILE_ENV = 'GATEWAY_EVALUATION_FILE';

/** EventBridge entries are at most 256 KB; an event over this many bytes of detail goes without its text. */
export const MAX_DETAIL_BYTES = 200_000;

/** The event's detail as EventBridge gets it: without prompt and answer when they would not fit an entry. */
export function detailJson(event: EvaluationEvent): string {
  const full = JSON.stringify(event.detail);
  if (Buffer.byteLength(full, 'utf8') <= MAX_DETAIL_BYTES) return full;
  const { prompt: _prompt, answer: _answer, ...rest } = event.detail;
  return JSON.stringify({ ...rest, text_omitted: 'too_large' });
}

/**
 * PutEvents on the stack's bus, one entry per event; a refused entry (FailedEntryCount) is a failure. The EventBridge
 * SDK is imported on the first send (a chunk of its own in the bundle: nothing of it is evaluated at init), and the
 * client made then unless one is given.
 */
export class EventBridgeSink implements EvaluationSink {
  readonly kind = 'eventbridge';

  constructor(
    private client: EventBridgeClient | undefined,
    private readonly busName: string,
  ) {}

  async send(event: EvaluationEvent, signal: AbortSignal): Promise<void> {
    const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    this.client ??= new EventBridgeClient({ maxAttempts: 2 });
    const output = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: event.source,
            DetailType: event['detail-type'],
            Time: new Date(event.time),
            Detail: detailJson(event),
          },
        ],
      }),
      { abortSignal: signal },
    );
    if ((output.FailedEntryCount ?? 0) > 0) {
      const entry = output.Entries?.[0];
      throw new Error(
        `PutEvents refused the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
}

/**
 * Appends each event as one JSON line (the EventBridge event's shape: source, detail-type, time, detail). Appends
 * from concurrent requests are queued, so lines never interleave.
 */
export class JsonlFileSink implements EvaluationSink {
  readonly kind = 'file';
  private tail: Promise<void> = Promise.resolve();
  private dirReady = false;

  constructor(readonly path: string) {}

  /** A local append is not aborted: it is quick, and a half-written line would be worse. */
  send(event: EvaluationEvent, _signal?: AbortSignal): Promise<void> {
    const line = `${JSON.stringify({ ...event, detail: JSON.parse(detailJson(event)) as unknown })}\n`;
    const write = this.tail.then(async () => {
      if (!this.dirReady) {
        await mkdir(dirname(this.path), { recursive: true });
        this.dirReady = true;
      }
      await appendFile(this.path, line, 'utf8');
    });
    this.tail = write.catch(() => undefined);
    return write;
  }
}

/**
 * The sink of this process: the bus named by EVALUATION_BUS_NAME (AWS); else, outside Lambda, the JSONL file of
 * GATEWAY_EVALUATION_FILE or `<GATEWAY_DATA_DIR or .gateway-data>/evaluation-events.jsonl`; in Lambda without a bus,
 * none (a deployment of another stack: nowhere writable to put them).
 */
export function sinkFromEnvironment(env: NodeJS.ProcessEnv = process.env): EvaluationSink | undefined {
  const bus = env[EVALUATION_BUS_ENV];
  if (bus !== undefined && bus !== '') return new EventBridgeSink(undefined, bus);
  if (env.AWS_LAMBDA_FUNCTION_NAME !== undefined) return undefined;
  const file = env[EVALUATION_FILE_ENV];
  return new JsonlFileSink(
    resolve(
      file !== undefined && file !== ''
        ? file
        : join(env.GATEWAY_DATA_DIR ?? '.gateway-data', 'evaluation-events.jsonl'),
    ),
  );
}
