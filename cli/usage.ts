/** The text of `llm-gateway --help`. */
export const USAGE = `Usage: llm-gateway keys <command> [options]
       llm-gateway usage [options]
       llm-gateway stack outputs | usage-plan-keys list|delete [--stack S] [--region R]

Manage the gateway keys of an LLM Gateway, a local one (\`npm start\`) or a deployed stack, and read its usage.

Commands:
  keys create --tenant T [--name N] [--plan P] [--models a,b] [--scopes chat,usage:read] [--expires 30d]
              [--label name=value]...
                            Create a key; the key is shown once, only its hash is stored
  keys list [--tenant T]    List keys, optionally of one tenant
  keys get ID               Show one key
  keys revoke ID            Revoke a key at once
  keys rotate ID [--grace 1h]
                            Replace a key; the old one keeps working for the grace period
  usage [--tenant T] [--from D] [--to D] [--by day|model|key|tenant|plan] [--format table|csv]
                            Requests, tokens and cost (USD) over a date range, one tenant's or every tenant's;
                            response cache hits, hit rate and saved USD when a cache was used
  stack outputs [--stack S] [--env-file F]
                            A deployed stack's outputs (CloudFormation), or an env file of them (GATEWAY_URL,
                            OPENAI_BASE_URL, ANTHROPIC_BASE_URL, AWS_REGION, LLM_GATEWAY_<OUTPUT>)
  usage-plan-keys list|delete [--stack S] [--yes]
                            The API keys the stack's usage plans hold (created at run time, one per tenant and
                            plan); delete them before \`cdk destroy\` (delete needs --yes)
  help                      Show this help

Options:
  --tenant T        The tenant the key belongs to (a-z, 0-9, "_" and "-"); usage: only this tenant
  --name N          A label for people (default "<tenant> key")
  --plan P          A plan of the gateway configuration (default: its auth.defaultPlan)
  --models a,b      Model aliases the key may use (default: all)
  --scopes s,t      chat and/or usage:read (default: chat)
  --label n=v       A label for cost allocation (e.g. cost-centre=cc-42), repeatable, at most 10
  --expires W       When the key stops working: a duration (90m, 12h, 30d, 2w) or an ISO 8601 date-time
  --grace W         How long the old key keeps working after a rotation (default: auth.rotationGraceSeconds)
  --from D, --to D  usage: the first and last day, included, as YYYY-MM-DD in UTC (default: this month so far;
                    --to alone: from the first day of its month); at most 366 days
  --by B            usage: a row per day, model, key, tenant or plan (default: tenant, or day with --tenant)
  --format csv      usage: CSV (RFC 4180) with a row per tenant, key, alias, upstream model and day
  --json            Print the API's JSON (for scripts); a new key is in the field "key"
  --url URL         The gateway (default: $GATEWAY_URL, else http://127.0.0.1:8001)
  --aws             Sign requests with AWS SigV4 even when the URL is not an execute-api host (region: $AWS_REGION)
  --stack S         stack, usage-plan-keys: the stack (default: $GATEWAY_STACK_NAME, else LlmGateway)
  --region R        stack, usage-plan-keys: its region (default: $AWS_REGION)
  -h, --help        Show this help

Authentication:
  A deployed stack (https://<id>.execute-api.<region>.amazonaws.com/<stage>) is called with SigV4, using the AWS
  credentials of the environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, ...). Any other URL is called with the admin
  key: $GATEWAY_ADMIN_KEY, else the file <$GATEWAY_DATA_DIR or .gateway-data>/local-admin-key that the local gateway
  writes when it starts.

Exit codes: 0 done, 1 the command failed, 2 wrong usage.
`;

export const USAGE_HINT = 'Run "llm-gateway --help" for usage.';
