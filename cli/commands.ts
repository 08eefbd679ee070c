import type { AdminApi } from './admin-api.js';
import type { Command } from './args.js';
import { formatCreated, formatKey, formatList, formatRevoked } from './format.js';
import { formatUsage } from './format-usage.js';
import { formatUsageCsv } from './usage-csv.js';

/** What a command prints: the API's JSON (--json) or text for people. */
export interface CommandOutput {
  readonly json: unknown;
  readonly text: string;
}

/** Runs one command against the admin API. */
export async function runCommand(command: Exclude<Command, { kind: 'help' }>, api: AdminApi): Promise<CommandOutput> {
  switch (command.kind) {
    case 'create': {
      const { raw, value } = await api.create(command.request);
      return { json: raw, text: formatCreated(value, 'Created') };
    }
    case 'list': {
      const { raw, value } = await api.list(command.tenant);
      return { json: raw, text: formatList(value, command.tenant) };
    }
    case 'get': {
      const { raw, value } = await api.get(command.id);
      return { json: raw, text: formatKey(value) };
    }
    case 'revoke': {
      const { raw, value } = await api.revoke(command.id);
      return { json: raw, text: formatRevoked(value) };
    }
    case 'rotate': {
      const { raw, value } = await api.rotate(command.id, command.graceSeconds);
      return { json: raw, text: formatCreated(value, 'Rotated') };
    }
    case 'usage': {
      const { raw, value } = await api.usage(command.query);
      const text =
        command.format === 'csv' ? formatUsageCsv(value) : formatUsage(value, command.by, command.query.tenant);
      return { json: raw, text };
    }
  }
}
