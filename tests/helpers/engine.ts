/** An engine on a fresh store with a fake clock, for runtime tests; it runs the reference installation's configuration. */
import { Engine } from '../../engine/runtime/index.js';
import type { Store } from '../../engine/store/index.js';
import { FakeClock } from './fake-clock.js';
import { REFERENCE_CONFIG } from './reference-config.js';

export interface TestEngine {
  engine: Engine;
  store: Store;
  clock: FakeClock;
}

export function engineOn(store: Store, clock = new FakeClock(), nodeId = 'test-node'): TestEngine {
  return { engine: new Engine({ store, clock, nodeId, config: REFERENCE_CONFIG }), store, clock };
}

/** The single open task of an instance at an element. */
export async function openTaskAt(engine: Engine, instanceId: string, elementId: string) {
  const page = await engine.listTasks({ instanceId, status: 'open' });
  const task = page.items.find((t) => t.elementId === elementId);
  if (!task)
    throw new Error(`no open task at '${elementId}'; open: ${page.items.map((t) => t.elementId).join(', ') || 'none'}`);
  return task;
}
