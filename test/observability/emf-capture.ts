/**
 * Captures the EMF documents Powertools Metrics writes, for tests that assert them.
 *
 * Powertools writes each document with `console.log(JSON)` on a Console it builds over `process.stdout` in its
 * constructor (or on the global console when POWERTOOLS_DEV is set), and it is disabled when
 * POWERTOOLS_METRICS_DISABLED is true (the test default, test/setup/env.ts). The gateway builds a Metrics instance
 * per document (lambdas/observability/emf-metrics.ts), so switching the environment here is enough, no re-import needed:
 * captureEmf() enables metrics, unsets POWERTOOLS_DEV (so output goes to process.stdout) and the namespace/service
 * variables (so the code's defaults apply unless `env` sets them), replaces `process.stdout.write`, and `stop()`
 * puts every variable and the original write back.
 */
export interface EmfMetricDefinition {
  readonly Name: string;
  readonly Unit: string;
  readonly StorageResolution?: number;
}

export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly EmfMetricDefinition[];
    }[];
  };
  readonly [key: string]: unknown;
}

export interface EmfCapture {
  /** The EMF documents written so far, in order. */
  readonly documents: EmfDocument[];
  /** Every other line written to stdout meanwhile (kept, not printed). */
  readonly otherLines: string[];
  /** Called synchronously for each document as it is written (to interleave work inside a write). */
  onDocument?: (document: EmfDocument) => void;
  stop(): void;
}

const VARIABLES = [
  'POWERTOOLS_METRICS_DISABLED',
  'POWERTOOLS_DEV',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_SERVICE_NAME',
] as const;

export function captureEmf(env: Readonly<Partial<Record<(typeof VARIABLES)[number], string>>> = {}): EmfCapture {
  const saved = VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of VARIABLES) delete process.env[name];
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  Object.assign(process.env, env);

  const originalWrite = process.stdout.write;
  const capture: EmfCapture = {
    documents: [],
    otherLines: [],
    stop() {
      process.stdout.write = originalWrite;
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
  const write = (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const document = emfDocument(line);
      if (document === undefined) {
        capture.otherLines.push(line);
      } else {
        capture.documents.push(document);
        capture.onDocument?.(document);
      }
    }
    return true;
  };
  process.stdout.write = write as typeof process.stdout.write;
  return capture;
}

function emfDocument(line: string): EmfDocument | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && '_aws' in parsed ? (parsed as EmfDocument) : undefined;
  } catch {
    return undefined;
  }
}
