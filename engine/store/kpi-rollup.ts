/**
 * The KPI roll-up tables: kpi_daily (counts and histograms per local day, process and dimension
 * value, as JSON), kpi_monthly (the same summed per local month), kpi_rollup_slas (the SLA clocks already counted) and kpi_rollup_state.
 * The figures are computed by runtime/insight/rollup.ts; this module only stores and reads them.
 */
import type { CaseFact, RolledClock, RollupDelta, RollupRow } from './insight-types.js';
import { getFactRows } from './case-facts.js';
import { type Db, type Dialect, isoIn, isoOut, jsonIn, jsonOut } from './columns.js';

const DAILY = 'kpi_daily';
const MONTHLY = 'kpi_monthly';
const ROLLED = 'kpi_rollup_slas';
const STATE = 'kpi_rollup_state';
const BATCH = 200;

/**
 * Adds deltas to their daily rows and to the rows of their months (creating them); on PostgreSQL each row
 * is locked while it is merged.
 */
export async function applyRollup(db: Db, dialect: Dialect, deltas: RollupDelta[]): Promise<void> {
  for (const delta of deltas) {
    const base = { dim: delta.dim, definition_key: delta.definitionKey, value: delta.value };
    await mergeInto(db, dialect, DAILY, { ...base, day: delta.day }, delta);
    await mergeInto(db, dialect, MONTHLY, { ...base, month: delta.day.slice(0, 7) }, delta);
  }
}

async function mergeInto(
  db: Db,
  dialect: Dialect,
  table: string,
  key: Record<string, string>,
  delta: Pick<RollupDelta, 'counts' | 'hist'>,
): Promise<void> {
  await db(table)
    .insert({ ...key, counts: '{}', hist: '{}' })
    .onConflict(Object.keys(key))
    .ignore();
  const query = db(table).where(key).first();
  if (dialect === 'postgres') query.forUpdate();
  const row = await query;
  const counts = jsonOut<Record<string, number>>(row.counts);
  const hist = jsonOut<Record<string, Record<string, number>>>(row.hist);
  addDelta(counts, hist, delta);
  await db(table)
    .where(key)
    .update({ counts: jsonIn(counts), hist: jsonIn(hist) });
}

/** Adds a delta's counts and histogram buckets into a row's, dropping what becomes zero. */
function addDelta(
  counts: Record<string, number>,
  hist: Record<string, Record<string, number>>,
  delta: Pick<RollupDelta, 'counts' | 'hist'>,
): void {
  for (const [name, n] of Object.entries(delta.counts)) {
    const next = (counts[name] ?? 0) + n;
    if (next === 0) delete counts[name];
    else counts[name] = next;
  }
  for (const [measure, buckets] of Object.entries(delta.hist)) {
    const into = (hist[measure] ??= {});
    for (const [bucket, n] of Object.entries(buckets)) {
      const next = (into[bucket] ?? 0) + n;
      if (next === 0) delete into[bucket];
      else into[bucket] = next;
    }
    if (Object.keys(into).length === 0) delete hist[measure];
  }
}

/**
 * Roll-up rows of one dimension with fromDay ≤ day < toDay, of the given processes (all when absent).
 * With `months`, the whole local months inside the range are read from the monthly level, each as one
 * row dated its first day, and only the days before and after them from the daily level.
 */
export async function rollupRows(
  db: Db,
  filter: { dim: string; fromDay: string; toDay: string; definitionKeys?: string[]; months?: boolean },
): Promise<RollupRow[]> {
  const split = filter.months ? wholeMonths(filter.fromDay, filter.toDay) : null;
  if (!split) return dailyRows(db, filter);
  const [before, months, after] = await Promise.all([
    dailyRows(db, { ...filter, toDay: `${split.fromMonth}-01` }),
    monthlyRows(db, { ...filter, fromMonth: split.fromMonth, toMonth: split.toMonth }),
    dailyRows(db, { ...filter, fromDay: `${split.toMonth}-01` }),
  ]);
  return [...before, ...months, ...after];
}

/** The monthly rows of one dimension with fromMonth ≤ month < toMonth (for tests and the reader above). */
export async function monthlyRows(
  db: Db,
  filter: { dim: string; fromMonth: string; toMonth: string; definitionKeys?: string[] },
): Promise<RollupRow[]> {
  const query = db(MONTHLY)
    .select('month', 'definition_key', 'value', 'counts', 'hist')
    .where('dim', filter.dim)
    .where('month', '>=', filter.fromMonth)
    .where('month', '<', filter.toMonth);
  if (filter.definitionKeys) query.whereIn('definition_key', filter.definitionKeys);
  const rows: Array<Record<string, unknown>> = await query;
  return rows.map((r) => rowOf(r, `${String(r.month)}-01`, filter.dim));
}

async function dailyRows(
  db: Db,
  filter: { dim: string; fromDay: string; toDay: string; definitionKeys?: string[] },
): Promise<RollupRow[]> {
  if (filter.fromDay >= filter.toDay) return [];
  const query = db(DAILY)
    .select('day', 'definition_key', 'value', 'counts', 'hist')
    .where('dim', filter.dim)
    .where('day', '>=', filter.fromDay)
    .where('day', '<', filter.toDay);
  if (filter.definitionKeys) query.whereIn('definition_key', filter.definitionKeys);
  const rows: Array<Record<string, unknown>> = await query;
  return rows.map((r) => rowOf(r, String(r.day), filter.dim));
}

function rowOf(r: Record<string, unknown>, day: string, dim: string): RollupRow {
  return {
    day,
    definitionKey: String(r.definition_key),
    dim,
    value: String(r.value),
    counts: jsonOut<Record<string, number>>(r.counts),
    hist: jsonOut<Record<string, Record<string, number>>>(r.hist),
  };
}

/** The whole months [fromMonth, toMonth) inside [fromDay, toDay) (days as YYYY-MM-DD); null when none. */
export function wholeMonths(fromDay: string, toDay: string): { fromMonth: string; toMonth: string } | null {
  const fromMonth = fromDay.endsWith('-01') ? fromDay.slice(0, 7) : nextMonth(fromDay.slice(0, 7));
  const toMonth = toDay.slice(0, 7);
  return fromMonth < toMonth ? { fromMonth, toMonth } : null;
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The instance's SLA clocks that closed met or breached. */
export async function closedClocks(db: Db, instanceId: string): Promise<RolledClock[]> {
  const rows: Array<Record<string, unknown>> = await db('slas')
    .select('id', 'definition_key', 'status', 'completed_at')
    .where('instance_id', instanceId)
    .whereNotNull('completed_at')
    .whereIn('status', ['met', 'breached']);
  return rows.map(clockOf);
}

/** The instance's SLA clocks as the roll-up last counted them. */
export async function rolledClocks(db: Db, instanceId: string): Promise<RolledClock[]> {
  const rows: Array<Record<string, unknown>> = await db(ROLLED)
    .select({ id: 'sla_id' }, 'definition_key', 'status', 'completed_at')
    .where('instance_id', instanceId);
  return rows.map(clockOf);
}

/** Records which of the instance's clocks the roll-up now counts. */
export async function setRolledClocks(db: Db, instanceId: string, clocks: RolledClock[]): Promise<void> {
  await db(ROLLED).where('instance_id', instanceId).delete();
  if (clocks.length > 0) await db(ROLLED).insert(clocks.map((c) => rolledRow(instanceId, c)));
}

export async function rollupState(db: Db, name: string): Promise<string | null> {
  const row = await db(STATE).where({ name }).first();
  return row ? String(row.value) : null;
}

export async function setRollupState(db: Db, name: string, value: string): Promise<void> {
  await db(STATE).insert({ name, value }).onConflict('name').merge();
}

/** Case facts in instance-id order after `afterId`, with their closed SLA clocks (for a rebuild). */
export async function factsWithClocks(
  db: Db,
  afterId: string | null,
  limit: number,
): Promise<Array<{ fact: CaseFact; clocks: RolledClock[] }>> {
  const facts = await getFactRows(db, afterId, limit);
  if (facts.length === 0) return [];
  const ids = facts.map((f) => f.instanceId);
  const clocks = new Map<string, RolledClock[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows: Array<Record<string, unknown>> = await db('slas')
      .select('id', 'instance_id', 'definition_key', 'status', 'completed_at')
      .whereIn('instance_id', ids.slice(i, i + 500))
      .whereNotNull('completed_at')
      .whereIn('status', ['met', 'breached']);
    for (const row of rows) {
      const id = String(row.instance_id);
      if (!clocks.has(id)) clocks.set(id, []);
      clocks.get(id)!.push(clockOf(row));
    }
  }
  return facts.map((fact) => ({ fact, clocks: clocks.get(fact.instanceId) ?? [] }));
}

/** Empties the roll-up (before a rebuild). */
export async function clearRollup(db: Db): Promise<void> {
  await db(DAILY).delete();
  await db(MONTHLY).delete();
  await db(ROLLED).delete();
}

/** Writes rows of a rebuild (each row new) and the clocks they counted. */
export async function insertRollup(
  db: Db,
  rows: RollupRow[],
  clocks: Array<{ instanceId: string; clock: RolledClock }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await db(DAILY).insert(
      rows.slice(i, i + BATCH).map((r) => ({
        dim: r.dim,
        day: r.day,
        definition_key: r.definitionKey,
        value: r.value,
        counts: jsonIn(r.counts),
        hist: jsonIn(r.hist),
      })),
    );
  }
  // the months are the sums of their days
  const months = new Map<string, RollupRow>();
  for (const r of rows) {
    const month = r.day.slice(0, 7);
    const key = `${r.dim}|${month}|${r.definitionKey}|${r.value}`;
    let into = months.get(key);
    if (!into) months.set(key, (into = { ...r, day: month, counts: {}, hist: {} }));
    addDelta(into.counts, into.hist, r);
  }
  const monthRows = [...months.values()];
  for (let i = 0; i < monthRows.length; i += BATCH) {
    await db(MONTHLY).insert(
      monthRows.slice(i, i + BATCH).map((r) => ({
        dim: r.dim,
        month: r.day,
        definition_key: r.definitionKey,
        value: r.value,
        counts: jsonIn(r.counts),
        hist: jsonIn(r.hist),
      })),
    );
  }
  for (let i = 0; i < clocks.length; i += BATCH)
    await db(ROLLED).insert(clocks.slice(i, i + BATCH).map((c) => rolledRow(c.instanceId, c.clock)));
}

// helpers

function clockOf(row: Record<string, unknown>): RolledClock {
  return {
    id: String(row.id),
    definitionKey: String(row.definition_key),
    status: row.status === 'met' ? 'met' : 'breached',
    completedAt: isoOut(row.completed_at),
  };
}

function rolledRow(instanceId: string, c: RolledClock): Record<string, unknown> {
  return {
    sla_id: c.id,
    instance_id: instanceId,
    definition_key: c.definitionKey,
    status: c.status,
    completed_at: c.completedAt,
  };
}

/**
 * The newest `limit` cases of a process started in [from, to), how many there were, their element
 * history rows (entered/left, per instance in order) and their SLA clocks per element; practice cases
 * (drills) are not among them.
 */
export async function elementHistory(
  db: Db,
  definitionKey: string,
  from: string,
  to: string,
  limit: number,
  scopeGroups?: string[],
): Promise<{
  cases: number;
  events: Array<{
    instanceId: string;
    elementId: string | null;
    elementType: string | null;
    event: string;
    at: string;
  }>;
  clocks: Array<{ elementId: string; met: number; breached: number; open: number }>;
}> {
  const inPeriod = () => {
    const query = db('case_facts')
      .where('definition_key', definitionKey)
      .where('practice', 0)
      .where('started_at', '>=', isoIn(from))
      .where('started_at', '<', isoIn(to));
    // supervisors: the cases holding work offered to one of their groups, as for the KPIs
    if (scopeGroups) {
      const offered = db('task_candidates')
        .select('task_id')
        .where('kind', 'group')
        .whereIn('value', scopeGroups.length > 0 ? scopeGroups : ['']);
      query.whereIn('instance_id', db('tasks').select('instance_id').whereIn('id', offered));
    }
    return query;
  };
  const [count, idRows] = await Promise.all([
    inPeriod().count({ n: '*' }).first() as Promise<Record<string, unknown> | undefined>,
    inPeriod().select('instance_id').orderBy('started_at', 'desc').limit(limit) as Promise<
      Array<Record<string, unknown>>
    >,
  ]);
  const ids = idRows.map((r) => String(r.instance_id));
  const events: Array<{
    instanceId: string;
    elementId: string | null;
    elementType: string | null;
    event: string;
    at: string;
  }> = [];
  const clocks = new Map<string, { elementId: string; met: number; breached: number; open: number }>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows: Array<Record<string, unknown>> = await db('history')
      .select('instance_id', 'element_id', 'element_type', 'event', 'at')
      .whereIn('instance_id', chunk)
      .whereIn('event', ['element.entered', 'element.left'])
      .orderBy([{ column: 'instance_id' }, { column: 'id' }]);
    for (const r of rows)
      events.push({
        instanceId: String(r.instance_id),
        elementId: r.element_id == null ? null : String(r.element_id),
        elementType: r.element_type == null ? null : String(r.element_type),
        event: String(r.event),
        at: isoOut(r.at),
      });
    const slaRows: Array<Record<string, unknown>> = await db('slas')
      .select('element_id', 'status', 'completed_at')
      .whereIn('instance_id', chunk)
      .whereNot('status', 'cancelled');
    for (const r of slaRows) {
      const id = String(r.element_id);
      const c = clocks.get(id) ?? { elementId: id, met: 0, breached: 0, open: 0 };
      if (r.completed_at == null) c.open++;
      else if (r.status === 'met') c.met++;
      else if (r.status === 'breached') c.breached++;
      clocks.set(id, c);
    }
  }
  return { cases: Number(count?.n ?? 0), events, clocks: [...clocks.values()] };
}
