/**
 * KRI evaluation, pure: the level of a reading against its thresholds, and what a change of level
 * triggers. A crossing triggers once: readings that stay beyond a threshold trigger nothing more.
 */
import type { KriLevel, KriRow } from '../../store/index.js';

export type KriAction = 'notified' | 'emergency' | null;

const RANK: Record<KriLevel, number> = { green: 0, amber: 1, red: 2 };

/** The level of a value: beyond red (strictly, in the KRI's direction) is red, beyond amber is amber, else green. */
export function levelOf(kri: Pick<KriRow, 'direction' | 'amber' | 'red'>, value: number): KriLevel {
  const beyond = (threshold: number) => (kri.direction === 'above' ? value > threshold : value < threshold);
  if (beyond(kri.red)) return 'red';
  return beyond(kri.amber) ? 'amber' : 'green';
}

/** What moving from one level to another triggers: crossing into red starts the emergency path, rising into amber notifies the owner. */
export function actionOf(previous: KriLevel, next: KriLevel): KriAction {
  if (next === 'red' && previous !== 'red') return 'emergency';
  if (next === 'amber' && RANK[previous] < RANK.amber) return 'notified';
  return null;
}

/** Thresholds must be ordered in the KRI's direction: red beyond amber. */
export function thresholdsOrdered(kri: Pick<KriRow, 'direction' | 'amber' | 'red'>): boolean {
  return kri.direction === 'above' ? kri.red > kri.amber : kri.red < kri.amber;
}
