import { z } from 'zod';
import { gatewayConfigSchema } from './schema.js';

/** The JSON Schema of gateway.config.json for editors, generated from the zod schema that validates it. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(gatewayConfigSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'LLM Gateway configuration',
  };
}

export const CONFIG_SCHEMA_FILE = 'gateway.config.schema.json';

export const renderConfigJsonSchema = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
