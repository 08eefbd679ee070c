import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Powertools' JSON line without `sampling_rate` (always 0: the gateway samples nothing through the logger) and
 * `service` (one per deployment, and each function has its own log group; the EMF documents keep it as their
 * dimension): ~42 bytes a line that CloudWatch Logs would bill on every request. Otherwise Powertools' own fields and
 * order: level, message, timestamp, the Lambda context's fields when a logger is given one, xray_trace_id, then the
 * line's attributes.
 */
export class GatewayLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        cold_start: context?.coldStart,
        function_arn: context?.invokedFunctionArn,
        function_memory_size: context?.memoryLimitInMB,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additional);
  }
}
