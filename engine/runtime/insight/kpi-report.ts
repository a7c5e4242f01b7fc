/**
 * Turns the SQL aggregates into the KPI figures of docs/kpis.md: rates as percentages with their
 * denominators, null ("—") where the denominator is zero or missing. Pure.
 */
import type { CaseAggregate, DurationStats, ImprovementAggregate, SlaAggregate } from '../../store/index.js';

/** A ratio KPI: numerator, denominator and the percentage (null when the denominator is 0). */
export interface Rate {
  n: number;
  of: number;
  value: number | null;
}

export interface KpiSet {
  cases: { ended: number; completed: number; success: number };
  firstResponse: { wall: DurationStats; business: DurationStats };
  resolution: { wall: DurationStats; business: DurationStats };
  slaCompliance: Rate & { met: number; breached: number };
  csat: { n: number; mean: number | null; satisfied: Rate };
  nps: { n: number; score: number | null };
  firstContactResolution: Rate;
  reopenRate: Rate;
  transferRate: Rate;
  surveyResponseRate: Rate;
  completionRate: Rate;
  onTimeArrival: Rate;
  firstTimeFix: Rate;
  costPerCase: { n: number; value: number | null };
  complaintRate: { complaints: number; volume: number | null; perThousand: number | null };
  improvements: { raised: number; closed: number; closureRate: Rate };
}

/** The inputs of one group's KPIs (any part may be missing: no rows in that group). */
export interface GroupInputs {
  cases?: CaseAggregate;
  sla?: SlaAggregate;
  complaints: number;
  volume: number | null;
  improvements?: ImprovementAggregate;
}

const NO_STATS: DurationStats = { n: 0, mean: null, median: null, p90: null };

/** The KPI figures of one group. */
export function kpiSet(inputs: GroupInputs): KpiSet {
  const c = inputs.cases;
  const met = inputs.sla?.met ?? 0;
  const breached = inputs.sla?.breached ?? 0;
  const raised = inputs.improvements?.raised ?? 0;
  const closed = inputs.improvements?.closed ?? 0;
  return {
    cases: { ended: c?.ended ?? 0, completed: c?.completed ?? 0, success: c?.success ?? 0 },
    firstResponse: { wall: c?.firstResponseMs ?? NO_STATS, business: c?.firstResponseBusinessMs ?? NO_STATS },
    resolution: { wall: c?.resolutionMs ?? NO_STATS, business: c?.resolutionBusinessMs ?? NO_STATS },
    slaCompliance: { ...rate(met, met + breached), met, breached },
    csat: {
      n: c?.csatN ?? 0,
      mean: c && c.csatN > 0 ? round(c.csatSum / c.csatN, 2) : null,
      satisfied: rate(c?.csatSatisfied ?? 0, c?.csatN ?? 0),
    },
    nps: {
      n: c?.npsN ?? 0,
      score: c && c.npsN > 0 ? round(((c.npsPromoters - c.npsDetractors) / c.npsN) * 100, 1) : null,
    },
    firstContactResolution: rate(c?.fcrYes ?? 0, c?.fcrN ?? 0),
    reopenRate: rate(c?.reopened ?? 0, c?.completed ?? 0),
    transferRate: rate(c?.transferred ?? 0, c?.completed ?? 0),
    surveyResponseRate: rate(c?.surveyAnswered ?? 0, c?.surveySent ?? 0),
    completionRate: rate(c?.success ?? 0, c?.ended ?? 0),
    onTimeArrival: rate(c?.onTimeYes ?? 0, c?.onTimeN ?? 0),
    firstTimeFix: rate(c?.firstTimeFix ?? 0, c?.visitsN ?? 0),
    costPerCase: { n: c?.costN ?? 0, value: c && c.costN > 0 ? round(c.costSum / c.costN, 2) : null },
    complaintRate: {
      complaints: inputs.complaints,
      volume: inputs.volume,
      perThousand: inputs.volume ? round((inputs.complaints / inputs.volume) * 1000, 2) : null,
    },
    improvements: { raised, closed, closureRate: rate(closed, raised) },
  };
}

/** A percentage with one decimal, null when there is nothing to divide by; never rounded to 100 or 0 when it is not. */
export function rate(n: number, of: number): Rate {
  if (of <= 0) return { n, of, value: null };
  const value = round((n / of) * 100, 1);
  // "100 %" beside a breach misleads: 99.96 % reads 99.9, 0.04 % reads 0.1
  return { n, of, value: n < of && value === 100 ? 99.9 : n > 0 && value === 0 ? 0.1 : value };
}

// helpers

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
