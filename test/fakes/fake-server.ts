/** What every fake upstream hands its test: where it listens, the key it accepts, what it received, its script queue. */
export interface FakeServer<Script, Recorded> {
  /** The base URL the provider's SDK takes (see each fake for whether it ends in /v1). */
  readonly url: string;
  readonly apiKey: string;
  /** Every request, in arrival order. */
  readonly requests: Recorded[];
  enqueue(...scripts: Script[]): void;
  /** Scripts still queued. */
  pending(): number;
  /** Cuts open connections (including delayed or streaming answers) and stops the server. */
  close(): Promise<void>;
}
