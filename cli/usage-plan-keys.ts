import { STACK_TAG } from '../lambdas/keys/stack-tag.js';
import type { AwsAnswer, AwsSend } from './aws-call.js';
import { CliError } from './errors.js';
import { encodeRfc3986 } from './outgoing-request.js';

/**
 * An API key of the stack (the admin function creates one per tenant and plan at run time): in one of its usage
 * plans, or found by its stack tag (`usagePlan` empty when it is in none, e.g. the stack is gone).
 */
export interface UsagePlanKey {
  readonly id: string;
  readonly name: string;
  readonly usagePlan: string;
}

interface Page<T> {
  readonly item?: readonly T[];
  readonly position?: string;
}
interface UsagePlanItem {
  readonly id: string;
  readonly name?: string;
  readonly apiStages?: readonly { readonly apiId?: string }[];
}
interface KeyItem {
  readonly id: string;
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** An API Gateway answer that is not the expected one, as an error naming the status and API Gateway's message. */
function failure(method: string, path: string, answer: AwsAnswer): CliError {
  let message = answer.text.slice(0, 300);
  try {
    const parsed = JSON.parse(answer.text) as { message?: unknown; Message?: unknown };
    message = String(parsed.message ?? parsed.Message ?? message);
  } catch {
    // Not JSON: the text as it is.
  }
  return new CliError(`API Gateway ${method} ${path.split('?')[0]}: HTTP ${answer.status}: ${message}`);
}

async function get(send: AwsSend, path: string): Promise<string> {
  const answer = await send({ service: 'apigateway', method: 'GET', path, headers: { accept: 'application/json' } });
  if (answer.status !== 200) throw failure('GET', path, answer);
  return answer.text;
}

/** Every item of a paged API Gateway list (limit 500, `position` to the next page). */
async function all<T>(send: AwsSend, path: string): Promise<T[]> {
  const items: T[] = [];
  let position: string | undefined;
  do {
    const query = `limit=500${position === undefined ? '' : `&position=${encodeRfc3986(position)}`}`;
    const page = JSON.parse(await get(send, `${path}?${query}`)) as Page<T>;
    items.push(...(page.item ?? []));
    position = page.position;
  } while (position !== undefined && position !== '');
  return items;
}

/** The API keys in the usage plans of the REST API `restApiId` (the stack's), each once. */
export async function usagePlanKeysOf(send: AwsSend, restApiId: string): Promise<UsagePlanKey[]> {
  const plans = (await all<UsagePlanItem>(send, '/usageplans')).filter((plan) =>
    (plan.apiStages ?? []).some((stage) => stage.apiId === restApiId),
  );
  const keys = new Map<string, UsagePlanKey>();
  for (const plan of plans) {
    for (const key of await all<KeyItem>(send, `/usageplans/${encodeRfc3986(plan.id)}/keys`)) {
      if (!keys.has(key.id)) keys.set(key.id, { id: key.id, name: key.name ?? '', usagePlan: plan.name ?? plan.id });
    }
  }
  return [...keys.values()];
}

/**
 * The API keys tagged `llm-gateway:stack=<stackName>` (GetApiKeys, without their values): the keys of that stack
 * whether or not it, or its usage plans, still exist.
 */
export async function taggedApiKeysOf(send: AwsSend, stackName: string): Promise<UsagePlanKey[]> {
  return (await all<KeyItem>(send, '/apikeys'))
    .filter((key) => key.tags?.[STACK_TAG] === stackName)
    .map((key) => ({ id: key.id, name: key.name ?? '', usagePlan: '' }));
}

/** `first`, then the keys of `more` not already in it (by id). */
export const mergeKeys = (first: readonly UsagePlanKey[], more: readonly UsagePlanKey[]): UsagePlanKey[] => [
  ...first,
  ...more.filter((key) => !first.some((known) => known.id === key.id)),
];

/** Deletes each key (API Gateway answers 202); a key already gone (404) counts as deleted. */
export async function deleteApiKeys(send: AwsSend, keys: readonly UsagePlanKey[]): Promise<void> {
  for (const key of keys) {
    const path = `/apikeys/${encodeRfc3986(key.id)}`;
    const answer = await send({
      service: 'apigateway',
      method: 'DELETE',
      path,
      headers: { accept: 'application/json' },
    });
    if (answer.status !== 202 && answer.status !== 200 && answer.status !== 404) throw failure('DELETE', path, answer);
  }
}
