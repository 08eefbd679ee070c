import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError, parseConfig } from '../lambdas/config/load.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';

export interface ConfigWatchEvents {
  /** A valid new configuration: the next requests use it. */
  reloaded(config: GatewayConfig): void;
  /** The file changed but does not validate (or cannot be read): the old configuration stays; `reason` is one line. */
  rejected(reason: string): void;
}

export interface ConfigWatch {
  close(): void;
}

/** Editors save in bursts (truncate, write; or write a temporary file and rename it): wait for the burst to end. */
const SETTLE_MS = 150;

/** The problems of a configuration that did not load, on one line. */
export const oneLine = (err: unknown): string =>
  err instanceof ConfigError ? err.problems.join('; ') : err instanceof Error ? err.message : String(err);

/**
 * Watches the configuration file of the local gateway. The directory is watched, not the file, so a save that
 * replaces the file (rename over it) is seen as well. Each change is validated first; only the same content is
 * skipped. Lambda has no such thing: in AWS the configuration is bundled with the functions and changes by a deploy.
 */
export function watchConfig(file: string, initialText: string, events: ConfigWatchEvents): ConfigWatch {
  let last = initialText;
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    timer = undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Between an editor's unlink and its rename the file is briefly gone; the next event brings it back.
      if (code !== 'ENOENT') events.rejected(`cannot be read: ${code ?? String(err)}`);
      return;
    }
    if (text === last) return;
    last = text;
    let config: GatewayConfig;
    try {
      config = parseConfig(text, file);
    } catch (err) {
      events.rejected(oneLine(err));
      return;
    }
    events.reloaded(config);
  };
  const name = basename(file);
  const watcher: FSWatcher = watch(dirname(file), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(check, SETTLE_MS);
  });
  watcher.unref();
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
