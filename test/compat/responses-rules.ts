import { list, record, type Json } from './request-reading.js';
import {
  INCLUDABLE,
  INPUT_PARTS,
  ITEM_TYPES,
  OUTPUT_PARTS,
  PARAMETERS,
  ROLES,
  TOOL_TYPES,
} from './responses-vocabulary.js';

/**
 * What OpenAI's Responses API refuses (POST /v1/responses), for the smart fake's native lane (smart-responses.ts): the
 * first fault of a request as OpenAI words it (status, message, `param`, `code`), or undefined. Checked: unknown
 * parameters; input items (their types, message roles and content part types, `call_id`/`name`/`arguments`, a
 * `function_call_output` without its call before it and a `function_call` without its output, ids of items that
 * `store: false` never kept, reasoning items' encrypted content); tools (types, names, strict schemas: strict is the
 * Responses API's default); `tool_choice` naming a tool not offered; `text.format`; `include`; `max_output_tokens`;
 * `previous_response_id` (this fake stores nothing).
 */

export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly param: string | null;
  readonly code: string | null;
}

/** The encrypted content of this fake's reasoning items: the prefix, then the item's id in base64url. */
export const ENCRYPTED_PREFIX = 'enc_compat_';
export const encryptedFor = (id: string): string => ENCRYPTED_PREFIX + Buffer.from(id).toString('base64url');

const bad = (message: string, param: string | null, code: string | null = null, status = 400): Refusal => ({
  status,
  message,
  param,
  code,
});
const missing = (param: string): Refusal =>
  bad(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
const invalid = (param: string, value: unknown, supported: readonly string[]): Refusal =>
  bad(
    `Invalid value: '${String(value)}'. Supported values are: ${supported.map((s) => `'${s}'`).join(', ')}.`,
    param,
    'invalid_value',
  );
const notStored = (id: string): Refusal =>
  bad(
    `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
    'input',
    null,
    404,
  );
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Strict mode's schema rules: every object closed (`additionalProperties: false`) with every property required. */
function strictFault(schema: unknown, context: readonly string[] = []): string | undefined {
  const s = record(schema);
  const where = `In context=(${context.map((c) => `'${c}'`).join(', ')})`;
  if (s.type === 'object' || s.properties !== undefined) {
    if (s.additionalProperties !== false)
      return `${where}, 'additionalProperties' is required to be supplied and to be false.`;
    const required = list(s.required);
    const absent = Object.keys(record(s.properties)).find((key) => !required.includes(key));
    if (absent !== undefined)
      return `${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${absent}'.`;
  }
  const nested: [string[], unknown][] = [
    ...Object.entries(record(s.properties)).map(([key, value]): [string[], unknown] => [['properties', key], value]),
    ...(s.items === undefined ? [] : [[['items'], s.items] as [string[], unknown]]),
    ...list(s.anyOf).map((value, i): [string[], unknown] => [['anyOf', String(i)], value]),
    ...Object.entries(record(s.$defs)).map(([key, value]): [string[], unknown] => [['$defs', key], value]),
  ];
  for (const [path, value] of nested) {
    const fault = strictFault(value, [...context, ...path]);
    if (fault !== undefined) return fault;
  }
  return undefined;
}

function partFault(part: Json, role: string, at: string): Refusal | undefined {
  const allowed = role === 'assistant' ? OUTPUT_PARTS : INPUT_PARTS;
  if (!allowed.includes(String(part.type))) return invalid(`${at}.type`, part.type, allowed);
  if (part.type === 'input_image' && part.image_url === undefined && part.file_id === undefined)
    return missing(`${at}.image_url`);
  if ((part.type === 'input_text' || part.type === 'output_text') && text(part.text) === undefined)
    return missing(`${at}.text`);
  return undefined;
}

function itemFault(item: Json, at: string, earlier: readonly Json[], store: boolean): Refusal | undefined {
  const type = item.type ?? (item.role === undefined ? undefined : 'message');
  if (type === undefined) return missing(`${at}.type`);
  if (!ITEM_TYPES.includes(String(type))) return invalid(`${at}.type`, type, ITEM_TYPES);
  const id = text(item.id);
  if (type === 'reasoning') {
    if (!Array.isArray(item.summary)) return missing(`${at}.summary`);
    const encrypted = text(item.encrypted_content);
    if (encrypted === undefined) return !store && id !== undefined ? notStored(id) : missing(`${at}.encrypted_content`);
    if (!encrypted.startsWith(ENCRYPTED_PREFIX))
      return bad(
        `The encrypted content for item ${id ?? at} could not be verified.`,
        null,
        'invalid_encrypted_content',
      );
    if (id !== undefined && encrypted !== encryptedFor(id))
      return bad('Encrypted content item_id did not match the target item id.', null, 'invalid_encrypted_content');
    return undefined;
  }
  if (!store && id !== undefined && type !== 'item_reference') return notStored(id);
  if (type === 'message') {
    const role = String(item.role);
    if (!ROLES.includes(role)) return invalid(`${at}.role`, item.role, ROLES);
    if (typeof item.content === 'string') return undefined;
    if (!Array.isArray(item.content)) return missing(`${at}.content`);
    for (const [i, part] of item.content.entries()) {
      const fault = partFault(record(part), role, `${at}.content[${i}]`);
      if (fault !== undefined) return fault;
    }
    return undefined;
  }
  if (type === 'function_call' || type === 'function_call_output') {
    const callId = text(item.call_id);
    if (callId === undefined) return missing(`${at}.call_id`);
    if (callId === '')
      return bad(
        `Invalid '${at}.call_id': empty string. Expected a string with minimum length 1, but got an empty string instead.`,
        `${at}.call_id`,
        'empty_string',
      );
    if (type === 'function_call') {
      if (text(item.name) === undefined) return missing(`${at}.name`);
      if (text(item.arguments) === undefined) return missing(`${at}.arguments`);
      return undefined;
    }
    if (item.output === undefined) return missing(`${at}.output`);
    if (!earlier.some((e) => e.type === 'function_call' && e.call_id === callId))
      return bad(`No tool call found for function call output with call_id ${callId}.`, 'input');
  }
  return undefined;
}

function inputFault(input: unknown, store: boolean): Refusal | undefined {
  if (input === undefined || typeof input === 'string') return undefined;
  if (!Array.isArray(input)) return bad("Invalid type for 'input': expected one of a string or an array.", 'input');
  const items = input.map(record);
  for (const [i, item] of items.entries()) {
    const fault = itemFault(item, `input[${i}]`, items.slice(0, i), store);
    if (fault !== undefined) return fault;
  }
  const answered = new Set(items.filter((i) => i.type === 'function_call_output').map((i) => i.call_id));
  const unanswered = items.find((i) => i.type === 'function_call' && !answered.has(i.call_id));
  if (unanswered !== undefined)
    return bad(`No tool output found for function call ${String(unanswered.call_id)}.`, 'input');
  return undefined;
}

function toolsFault(body: Json): Refusal | undefined {
  const tools = list(body.tools).map(record);
  for (const [i, tool] of tools.entries()) {
    if (!TOOL_TYPES.includes(String(tool.type))) return invalid(`tools[${i}].type`, tool.type, TOOL_TYPES);
    if (tool.type !== 'function') continue;
    if (text(tool.name) === undefined) return missing(`tools[${i}].name`);
    if (!('parameters' in tool)) return missing(`tools[${i}].parameters`);
    const fault = tool.strict === false || tool.parameters === null ? undefined : strictFault(tool.parameters);
    if (fault !== undefined)
      return bad(
        `Invalid schema for function '${String(tool.name)}': ${fault}`,
        `tools[${i}].parameters`,
        'invalid_function_parameters',
      );
  }
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === 'string')
    return ['none', 'auto', 'required'].includes(choice)
      ? undefined
      : invalid('tool_choice', choice, ['none', 'auto', 'required']);
  const forced = record(choice);
  if (forced.type === 'function' && !tools.some((t) => t.type === 'function' && t.name === forced.name))
    return bad("Tool choice 'function' not found in 'tools' parameter.", 'tool_choice');
  return undefined;
}

function textFault(body: Json): Refusal | undefined {
  const format = record(record(body.text).format);
  if (Object.keys(format).length === 0) return undefined;
  const types = ['text', 'json_schema', 'json_object'];
  if (!types.includes(String(format.type))) return invalid('text.format.type', format.type, types);
  if (format.type !== 'json_schema') return undefined;
  if (text(format.name) === undefined) return missing('text.format.name');
  if (format.schema === undefined) return missing('text.format.schema');
  const fault = format.strict === true ? strictFault(format.schema) : undefined;
  if (fault === undefined) return undefined;
  const message = `Invalid schema for response_format '${String(format.name)}': ${fault}`;
  return bad(message, 'text.format.schema', 'invalid_json_schema');
}

export function refusalOf(body: Json): Refusal | undefined {
  const unknown = Object.keys(body).find((key) => !PARAMETERS.has(key));
  if (unknown !== undefined) return bad(`Unknown parameter: '${unknown}'.`, unknown, 'unknown_parameter');
  if (text(body.model) === undefined) return missing('model');
  if (typeof body.previous_response_id === 'string')
    return bad(
      `Previous response with id '${body.previous_response_id}' not found.`,
      'previous_response_id',
      'previous_response_not_found',
    );
  const includes = list(body.include);
  const odd = includes.findIndex((value) => !INCLUDABLE.includes(String(value)));
  if (odd !== -1) return invalid(`include[${odd}]`, includes[odd], INCLUDABLE);
  const max = body.max_output_tokens;
  if (typeof max === 'number' && max < 16)
    return bad(
      `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got ${max} instead.`,
      'max_output_tokens',
      'integer_below_min_value',
    );
  return inputFault(body.input, body.store !== false) ?? toolsFault(body) ?? textFault(body);
}
