/** Whose SLAs, KPIs and reports a caller reads: one rule for the three routes, on the engine's all-seeing groups. */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../engine/api/actor.js';
import { reportScopeOf } from '../../engine/api/scopes.js';

const actor = (roles: string[], groups: string[], allSeeing = false): Actor => ({
  id: 'someone',
  displayName: 'Someone',
  roles,
  groups,
  kind: 'user',
  allSeeing,
});

describe('api: report scope', () => {
  it('gives a supervisor the work of their groups only', () => {
    expect(reportScopeOf(actor(['supervisor'], ['complaint-handlers', 'hotline']))).toEqual([
      'complaint-handlers',
      'hotline',
    ]);
  });

  it("gives everything to owners and to members of the engine's all-seeing groups", () => {
    expect(reportScopeOf(actor(['owner'], ['hotline']))).toBeUndefined();
    expect(reportScopeOf(actor(['supervisor'], ['hotline', 'overseers'], true))).toBeUndefined();
    expect(reportScopeOf(null)).toBeUndefined();
  });
});
