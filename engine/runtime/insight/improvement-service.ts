/**
 * Improvement actions (PDCA): raised from a complaint, journey or risk case, owned, due, moved
 * plan → do → check → act → closed (check may send the action back to plan), and closed only with
 * an effect check. 服务改进次数 and the closure rate are KPIs (docs/kpis.md).
 */
import type { ImprovementRow, ImprovementStage } from '../../store/index.js';
import { newId } from '../definitions.js';
import type { Engine } from '../engine.js';
import { InstanceNotFoundError } from '../errors.js';
import { ImprovementNotFoundError, ImprovementStageError } from './insight-errors.js';
import { COMPLAINT_PROCESS, JOURNEY_PROCESS, RISK_PROCESS } from './profiles.js';

export type ImprovementSource = ImprovementRow['sourceKind'];

const SOURCE_PROCESS: Record<ImprovementSource, string> = {
  complaint: COMPLAINT_PROCESS,
  journey: JOURNEY_PROCESS,
  risk: RISK_PROCESS,
};

// The PDCA moves an action may make; check may go back to plan when the effect is not there yet.
const NEXT: Record<ImprovementStage, ImprovementStage[]> = {
  plan: ['do'],
  do: ['check'],
  check: ['act', 'plan'],
  act: ['closed'],
  closed: [],
};

export interface NewImprovement {
  title: string;
  description?: string | null;
  sourceKind: ImprovementSource;
  /** The instance id of the case it is raised from. */
  sourceRef: string;
  owner: string;
  due: string;
}

export interface ImprovementMove {
  stage: ImprovementStage;
  effectCheck?: string;
  effective?: boolean;
}

/** Whether an action may move between two stages (closing also needs its effect check). */
export function mayMove(from: ImprovementStage, to: ImprovementStage): boolean {
  return NEXT[from].includes(to);
}

export class ImprovementService {
  constructor(private readonly engine: Engine) {}

  /** Raises an action from a case of the matching process; it starts in plan. */
  async raise(input: NewImprovement, by: string | null): Promise<ImprovementRow> {
    const instance = await this.engine.store.instances.get(input.sourceRef);
    if (!instance || instance.definitionKey !== SOURCE_PROCESS[input.sourceKind])
      throw new InstanceNotFoundError(input.sourceRef);
    const row: ImprovementRow = {
      id: newId(),
      title: input.title,
      description: input.description ?? null,
      sourceKind: input.sourceKind,
      sourceRef: input.sourceRef,
      definitionKey: instance.definitionKey,
      owner: input.owner,
      due: input.due,
      stage: 'plan',
      effectCheck: null,
      effective: null,
      createdAt: this.engine.clock.now().toISOString(),
      createdBy: by,
      closedAt: null,
    };
    await this.engine.store.insight.insertImprovement(row);
    return row;
  }

  async get(id: string): Promise<ImprovementRow> {
    const row = await this.engine.store.insight.getImprovement(id);
    if (!row) throw new ImprovementNotFoundError(id);
    return row;
  }

  list(filter: Parameters<Engine['store']['insight']['listImprovements']>[0]) {
    return this.engine.store.insight.listImprovements(filter);
  }

  /** Moves an action one PDCA stage; closing records the effect check. */
  async move(id: string, move: ImprovementMove): Promise<ImprovementRow> {
    const row = await this.get(id);
    if (!mayMove(row.stage, move.stage)) throw new ImprovementStageError(id, row.stage, move.stage);
    if (move.stage === 'closed' && (!move.effectCheck || move.effective === undefined))
      throw new ImprovementStageError(id, row.stage, 'closed without an effect check');
    const patch = {
      stage: move.stage,
      ...(move.effectCheck !== undefined ? { effectCheck: move.effectCheck } : {}),
      ...(move.effective !== undefined ? { effective: move.effective } : {}),
      ...(move.stage === 'closed' ? { closedAt: this.engine.clock.now().toISOString() } : {}),
    };
    await this.engine.store.insight.updateImprovement(id, patch);
    return { ...row, ...patch };
  }
}
