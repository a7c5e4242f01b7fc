/**
 * Reads the installation's configuration file at start-up: SVCFLOW_CONFIG or `svcflow serve --config FILE`,
 * else the reference processes' processes/svcflow.config.json. A missing or invalid file stops the start with
 * a ConfigError naming the file and the field, rather than an engine that quietly knows nobody.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, readEngineConfig, type EngineConfig } from './engine-config.js';

/** The environment variable naming the configuration file. */
export const CONFIG_ENV = 'SVCFLOW_CONFIG';
/** The configuration of the reference processes, relative to the working directory. */
export const DEFAULT_CONFIG_PATH = './processes/svcflow.config.json';

/** The configuration file's path: the one given, else SVCFLOW_CONFIG, else the default. */
export function configPathOf(given?: string): string {
  return given ?? process.env[CONFIG_ENV] ?? DEFAULT_CONFIG_PATH;
}

/** Reads and checks the configuration file. */
export async function loadEngineConfig(path: string): Promise<EngineConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as { code?: string }).code === 'ENOENT' ? 'no such file' : String(err);
    throw new ConfigError(path, '(file)', `${reason}; name the configuration file with ${CONFIG_ENV} or --config`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, '(document)', `is not JSON: ${(err as Error).message}`);
  }
  return readEngineConfig(raw, path);
}
