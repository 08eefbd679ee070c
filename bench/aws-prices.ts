/**
 * AWS list prices the bench's cost estimate uses: us-east-1, on-demand, no free tier, first pricing tier — as
 * published on the services' pricing pages (DynamoDB's on-demand prices after the cut of 1 November 2024), taken on
 * 2026-12-06. Check them against https://aws.amazon.com/<service>/pricing/ before quoting a figure.
 */
export const AWS_PRICES = {
  /** The date these prices were taken. */
  date: '2026-12-06',
  region: 'us-east-1',
  /** Lambda, arm64 (Graviton): per GB-second of duration (first 7.5 billion GB-s a month). */
  lambdaArmPerGbSecond: 0.0000133334,
  /** Lambda: per request. */
  lambdaPerRequest: 0.2 / 1e6,
  /** Lambda: memory at which a function gets one full vCPU (CPU is proportional to memory). */
  lambdaMbPerVcpu: 1769,
  /** API Gateway REST API: per request (first 333 million a month). */
  apiGatewayRestPerRequest: 3.5 / 1e6,
  /** DynamoDB on-demand, standard table class: per write request unit… */
  dynamoPerWriteUnit: 0.625 / 1e6,
  /** …and per read request unit. */
  dynamoPerReadUnit: 0.125 / 1e6,
  /** CloudWatch Logs, standard log class: per GB ingested (storage, $0.03 per GB-month, not included). */
  logsPerGbIngested: 0.5,
  /**
   * EMF metrics are billed as custom metrics, $0.30 per metric (name + dimension set) per month for the first 10,000,
   * never per request: a fixed monthly cost outside the per-request table.
   */
  customMetricPerMonth: 0.3,
} as const;

/** The bytes Lambda's own text lines (START, END, REPORT) add per invocation, not counted by the bench. */
export const LAMBDA_PLATFORM_LOG_BYTES = 300;
