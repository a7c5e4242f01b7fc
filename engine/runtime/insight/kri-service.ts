/**
 * KRIs: definitions, readings, and the evaluation of every reading. Crossing amber notifies the KRI's
 * owner; crossing red starts the emergency path of the risk process once per crossing — by the
 * `risk-kri-alert` message when the linked risk waits in monitoring, else by starting a new risk case
 * with `incidentOccurred` (both through the engine's own entry points).
 */
import type { KriLevel, KriReadingRow, KriRow } from '../../store/index.js';
import { newId } from '../definitions.js';
import type { Engine } from '../engine.js';
import { actionOf, levelOf, thresholdsOrdered, type KriAction } from './kri.js';
import { KriInvalidError, KriNotFoundError } from './insight-errors.js';
import { RISK_PROCESS } from './profiles.js';

export const KRI_ALERT_MESSAGE = 'risk-kri-alert';
const RISK_CATEGORIES = ['technical', 'process', 'personnel', 'external', 'customer'];

export type NewKri = Pick<KriRow, 'name' | 'unit' | 'direction' | 'amber' | 'red' | 'owner'> & {
  riskId?: string | null;
  category?: string;
};

/** What a reading did: its level, what it triggered, and the risk case it started or alerted. */
export interface ReadingResult {
  kri: KriRow;
  reading: KriReadingRow;
}

export class KriService {
  constructor(private readonly engine: Engine) {}

  /** Defines a KRI; it starts green. */
  async define(input: NewKri): Promise<KriRow> {
    if (!thresholdsOrdered(input))
      throw new KriInvalidError(
        `the red threshold (${input.red}) must lie ${input.direction} the amber threshold (${input.amber})`,
      );
    const category = input.category ?? 'technical';
    if (!RISK_CATEGORIES.includes(category))
      throw new KriInvalidError(`category '${category}' is not one of ${RISK_CATEGORIES.join(', ')}`);
    const row: KriRow = {
      id: newId(),
      name: input.name,
      unit: input.unit,
      direction: input.direction,
      amber: input.amber,
      red: input.red,
      owner: input.owner,
      riskId: input.riskId ?? null,
      category,
      level: 'green',
      lastValue: null,
      lastAt: null,
      createdAt: this.engine.clock.now().toISOString(),
    };
    await this.engine.store.insight.insertKri(row);
    return row;
  }

  list(): Promise<KriRow[]> {
    return this.engine.store.insight.listKris();
  }

  async get(id: string): Promise<KriRow> {
    const kri = await this.engine.store.insight.getKri(id);
    if (!kri) throw new KriNotFoundError(id);
    return kri;
  }

  /** The latest readings, newest first (the trend chart reads them). */
  async readings(id: string, limit = 200): Promise<KriReadingRow[]> {
    await this.get(id);
    return this.engine.store.insight.readings(id, limit);
  }

  /** Records a reading and acts on a crossing; the level change and the reading commit together, so a crossing is acted on once. */
  async record(id: string, value: number, observedAt: string | undefined, by: string | null): Promise<ReadingResult> {
    const at = observedAt ?? this.engine.clock.now().toISOString();
    const { kri, reading } = await this.engine.store.transaction(async (tx) => {
      const current = await tx.insight.getKri(id, { lock: true });
      if (!current) throw new KriNotFoundError(id);
      const level = levelOf(current, value);
      const action = actionOf(current.level, level);
      const row: KriReadingRow = { kriId: id, value, observedAt: at, level, action, startedInstanceId: null };
      await tx.insight.updateKri(id, { level, lastValue: value, lastAt: at });
      return { kri: { ...current, level, lastValue: value, lastAt: at }, reading: row };
    });
    try {
      reading.startedInstanceId = await this.act(kri, reading.action, value, at, by);
    } finally {
      await this.engine.store.insight.insertReading(reading);
    }
    return { kri, reading };
  }

  // helpers

  private async act(
    kri: KriRow,
    action: KriAction,
    value: number,
    observedAt: string,
    by: string | null,
  ): Promise<string | null> {
    if (action === 'notified') {
      await this.notifyOwner(kri, value, 'kri-amber');
      return null;
    }
    if (action !== 'emergency') return null;
    await this.notifyOwner(kri, value, 'kri-red');
    return this.startEmergency(kri, value, observedAt, by);
  }

  /** The linked risk in monitoring gets the critical alert (its kriGw turns it into an incident); otherwise a new risk case starts in emergency. */
  private async startEmergency(kri: KriRow, value: number, observedAt: string, by: string | null): Promise<string> {
    if (kri.riskId && (await this.engine.store.subscriptions.find(KRI_ALERT_MESSAGE, kri.riskId)).length > 0) {
      const { instanceIds } = await this.engine.correlateMessage({
        name: KRI_ALERT_MESSAGE,
        correlationKey: kri.riskId,
        variables: { alertLevel: 'critical', kriValue: value, observedAt },
        by,
      });
      return instanceIds[0];
    }
    // the newest emergency plan of the risk's category goes with the case
    const plan = (await this.engine.store.insight.listPlans(kri.category))[0];
    const started = await this.engine.startInstance({
      definitionKey: RISK_PROCESS,
      by,
      variables: {
        ...(plan ? { emergencyPlanRef: plan.id } : {}),
        title: `KRI ${kri.name} crossed red: ${value} ${kri.unit}`,
        description: `KRI '${kri.name}' read ${value} ${kri.unit} at ${observedAt}, beyond its red threshold ${kri.red} (${kri.direction}).`,
        category: kri.category,
        source: 'kri',
        sourceRef: kri.id,
        incidentOccurred: true,
        incidentSeverity: 'high',
        incidentStartedAt: observedAt,
        kriName: kri.name,
        kriUnit: kri.unit,
        kriWarning: kri.amber,
        kriCritical: kri.red,
        kriDirection: kri.direction,
        kriValue: value,
      },
    });
    return started.id;
  }

  private async notifyOwner(kri: KriRow, value: number, template: string): Promise<void> {
    await this.engine.store.notifications.insert({
      id: newId(),
      kind: 'notify.staff',
      instanceId: `kri:${kri.id}`,
      definitionKey: RISK_PROCESS,
      elementId: 'kri',
      toUser: kri.owner,
      toGroup: null,
      channel: null,
      template,
      payload: {
        kriId: kri.id,
        name: kri.name,
        value,
        unit: kri.unit,
        level: levelName(template),
        amber: kri.amber,
        red: kri.red,
      },
      createdAt: this.engine.clock.now().toISOString(),
    });
  }
}

function levelName(template: string): KriLevel {
  return template === 'kri-red' ? 'red' : 'amber';
}
