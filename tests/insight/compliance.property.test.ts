/** SLA compliance as the KPIs compute it: met ÷ (met + breached) over clocks ended in the period, for any mix of clocks. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kpiSet, rate } from '../../engine/runtime/insight/kpi-report.js';

describe('insight/compliance (property)', () => {
  it('is met ÷ (met + breached) in percent with one decimal, null without ended clocks, and always within 0–100', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (met, breached) => {
        const { slaCompliance } = kpiSet({ sla: { key: 'all', met, breached }, complaints: 0, volume: null });
        if (met + breached === 0) expect(slaCompliance.value).toBeNull();
        else {
          expect(slaCompliance.value!).toBeGreaterThanOrEqual(0);
          expect(slaCompliance.value!).toBeLessThanOrEqual(100);
          expect(Math.abs(slaCompliance.value! - (100 * met) / (met + breached))).toBeLessThanOrEqual(0.1);
        }
        expect(slaCompliance).toMatchObject({ met, breached, n: met, of: met + breached });
      }),
    );
  });

  it('never reads 100 % while a clock breached', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 10 }), (met, breached) => {
        // one decimal would round 99.96 up; the figure must still say it is not perfect
        expect(rate(met, met + breached).value).not.toBe(100);
      }),
    );
  });
});
