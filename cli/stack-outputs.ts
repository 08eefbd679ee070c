import type { AwsSend } from './aws-call.js';
import { CliError } from './errors.js';
import { encodeRfc3986 } from './outgoing-request.js';

export interface StackOutput {
  readonly key: string;
  readonly value: string;
  readonly description?: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text content: the five named entities and numeric references. */
const unescapeXml = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });

/** The text of the first `<tag>…</tag>` in `xml` (elements here hold text or other elements, never themselves). */
function element(xml: string, tag: string): string | undefined {
  const start = xml.indexOf(`<${tag}>`);
  if (start < 0) return undefined;
  const end = xml.indexOf(`</${tag}>`, start);
  return end < 0 ? undefined : xml.slice(start + tag.length + 2, end);
}

/** Every `<member>…</member>` directly in `xml` (Output members hold no members). */
const members = (xml: string): string[] =>
  [...xml.matchAll(/<member>([\s\S]*?)<\/member>/g)].map((match) => match[1] ?? '');

/**
 * The outputs of one stack: CloudFormation DescribeStacks (Query API, version 2010-05-15, XML answer). A stack that
 * does not exist, or an error answer, is a CliError naming CloudFormation's code and message.
 */
export async function describeStackOutputs(send: AwsSend, stackName: string): Promise<StackOutput[]> {
  const body = `Action=DescribeStacks&StackName=${encodeRfc3986(stackName)}&Version=2010-05-15`;
  const answer = await send({
    service: 'cloudformation',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  if (answer.status !== 200) {
    const code = element(answer.text, 'Code') ?? `HTTP ${answer.status}`;
    const message = unescapeXml(element(answer.text, 'Message') ?? answer.text.slice(0, 200));
    throw new CliError(`CloudFormation DescribeStacks ${stackName}: ${code}: ${message}`);
  }
  const stack = element(answer.text, 'Stacks');
  if (stack === undefined) throw new CliError(`CloudFormation DescribeStacks ${stackName}: no stack in the answer`);
  const status = element(stack, 'StackStatus');
  const outputs = element(stack, 'Outputs');
  if (outputs === undefined)
    throw new CliError(`stack ${stackName} has no outputs (status ${status ?? 'unknown'}): is it deployed?`);
  return members(outputs).map((member) => {
    const description = element(member, 'Description');
    return {
      key: unescapeXml(element(member, 'OutputKey') ?? ''),
      value: unescapeXml(element(member, 'OutputValue') ?? ''),
      ...(description === undefined ? {} : { description: unescapeXml(description) }),
    };
  });
}

/** `OpenAIBaseUrl` → `OPENAI_BASE_URL`-like names: capitals split into words, upper snake case. */
const snake = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();

/** The variables the SDKs, the CLI and later README commands read, by output. */
const WELL_KNOWN: Readonly<Record<string, string>> = {
  OpenAIBaseUrl: 'OPENAI_BASE_URL',
  AnthropicBaseUrl: 'ANTHROPIC_BASE_URL',
};

const quoted = (value: string): string =>
  /^[A-Za-z0-9_:/.@+=,%-]*$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;

/**
 * An env file (dotenv, and `set -a; . ./.env.aws; set +a` in a shell): every output as `LLM_GATEWAY_<NAME>`, plus
 * GATEWAY_URL (the stage URL: where `llm-gateway keys` goes), OPENAI_BASE_URL and ANTHROPIC_BASE_URL (what the SDKs
 * read), AWS_REGION and GATEWAY_STACK_NAME.
 */
export function envFile(stackName: string, region: string, outputs: readonly StackOutput[]): string {
  const lines = [`# llm-gateway stack outputs --stack ${stackName} --region ${region}`];
  const set = (name: string, value: string): void => {
    lines.push(`${name}=${quoted(value)}`);
  };
  set('GATEWAY_STACK_NAME', stackName);
  set('AWS_REGION', region);
  const apiUrl = outputs.find((output) => output.key === 'ApiUrl');
  if (apiUrl !== undefined) set('GATEWAY_URL', apiUrl.value.replace(/\/+$/, ''));
  for (const output of outputs) {
    const known = WELL_KNOWN[output.key];
    if (known !== undefined) set(known, output.value);
  }
  for (const output of outputs) set(`LLM_GATEWAY_${snake(output.key)}`, output.value);
  return `${lines.join('\n')}\n`;
}
