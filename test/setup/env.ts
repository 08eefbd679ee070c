// Every test runs with fake AWS credentials and no secret ARN, so nothing can reach real AWS, and with the
// in-process loggers quiet (tests that assert on logs run the gateway as a child process and read its stdout).
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'test-access-key';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
delete process.env.PROVIDER_SECRET_ARN;
delete process.env.DYNAMODB_ENDPOINT;
process.env.POWERTOOLS_LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = process.env.TEST_METRICS ?? 'true';
