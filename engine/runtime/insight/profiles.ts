/**
 * How the KPIs read each process: its success end states, the calendar business durations run on,
 * and which variables carry the case's dimensions and outcomes (docs/kpis.md explains each choice).
 * A process without a profile gets the generic one: every completed case is a success, `default` calendar.
 */

export interface KpiProfile {
  /** End events that count as a successful completion; null: every completed case. */
  successEnds: string[] | null;
  calendarId: string;
  /** The variable holding the case's handling group. */
  groupVariable: string;
}

export const COMPLAINT_PROCESS = 'complaint-handling';
export const JOURNEY_PROCESS = 'service-journey';
export const RISK_PROCESS = 'risk-response';

const PROFILES: Record<string, KpiProfile> = {
  [COMPLAINT_PROCESS]: {
    successEnds: ['endClosed', 'endClosedDissatisfied', 'endClosedBySupervisor'],
    calendarId: 'default',
    groupVariable: 'resolverGroup',
  },
  [JOURNEY_PROCESS]: {
    successEnds: ['endCompleted', 'endCompletedDissatisfied'],
    calendarId: 'default',
    groupVariable: 'group',
  },
  [RISK_PROCESS]: { successEnds: ['endClosed'], calendarId: 'default', groupVariable: 'group' },
};

const GENERIC: KpiProfile = { successEnds: null, calendarId: 'default', groupVariable: 'group' };

/** The KPI profile of a process key. */
export function profileOf(definitionKey: string): KpiProfile {
  return PROFILES[definitionKey] ?? GENERIC;
}
