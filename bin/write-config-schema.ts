/** `npm run schema`: regenerates gateway.config.schema.json from the configuration's zod schema. */
import { writeFileSync } from 'node:fs';
import { CONFIG_SCHEMA_FILE, renderConfigJsonSchema } from '../lambdas/config/json-schema.js';

writeFileSync(CONFIG_SCHEMA_FILE, renderConfigJsonSchema());
process.stdout.write(`wrote ${CONFIG_SCHEMA_FILE}\n`);
