/** The reference processes' installation configuration (processes/svcflow.config.json), as `svcflow serve` reads it. */
import { readFileSync } from 'node:fs';
import { readEngineConfig, type EngineConfig } from '../../engine/runtime/index.js';

export const REFERENCE_CONFIG_PATH = new URL('../../processes/svcflow.config.json', import.meta.url);

export const REFERENCE_CONFIG: EngineConfig = readEngineConfig(
  JSON.parse(readFileSync(REFERENCE_CONFIG_PATH, 'utf8')),
  'processes/svcflow.config.json',
);
