/**
 * Weekly and monthly reports built from the KPIs (docs/kpis.md): service quality, customer feedback and
 * risk. A report is a neutral model (titled sections of rows) that report-render.ts turns into XLSX,
 * PDF or CSV; the same model backs downloads and scheduled e-mails.
 */
import { DateTime } from 'luxon';
import type { InsightService, KpiReport } from './insight-service.js';
import type { KpiSet } from './kpi-report.js';

export const REPORT_KINDS = ['service-quality', 'feedback', 'risk'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_PERIODS = ['week', 'month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export type ReportLang = 'en' | 'zh';

export type Cell = string | number | null;

export interface ReportSection {
  title: string;
  columns: string[];
  rows: Cell[][];
}

export interface ReportModel {
  kind: ReportKind;
  title: string;
  /** e.g. "Week of 2026-11-23 (Asia/Shanghai)" */
  periodLabel: string;
  from: string;
  to: string;
  process: string | null;
  generatedAt: string;
  sections: ReportSection[];
}

export interface ReportRequest {
  kind: ReportKind;
  period: ReportPeriod;
  /** Any instant inside the period to report; default: the last full period before now. */
  at?: string;
  process?: string;
  lang?: ReportLang;
  scopeGroups?: string[];
}

/** The local week (Monday) or month holding `at`, or, without `at`, the last full one before `now`. */
export function reportPeriodOf(
  period: ReportPeriod,
  now: Date,
  zone: string,
  at?: string,
): { from: string; to: string; start: DateTime } {
  const base = at
    ? DateTime.fromISO(at, { zone })
    : DateTime.fromJSDate(now, { zone })
        .startOf(period)
        .minus({ [`${period}s`]: 1 });
  const start = base.startOf(period);
  return {
    from: start.toUTC().toISO()!,
    to: start
      .plus({ [`${period}s`]: 1 })
      .toUTC()
      .toISO()!,
    start,
  };
}

/** Builds the report from the KPI service. */
export async function buildReport(insight: InsightService, request: ReportRequest): Promise<ReportModel> {
  const lang = request.lang ?? 'en';
  const l = (key: keyof typeof LABELS) => LABELS[key][lang];
  const { from, to, start } = reportPeriodOf(request.period, insight.now(), insight.zone, request.at);
  const periodLabel =
    request.period === 'week'
      ? `${l('weekOf')} ${start.toFormat('yyyy-MM-dd')} – ${start.plus({ days: 6 }).toFormat('yyyy-MM-dd')}`
      : `${l('monthOf')} ${start.toFormat('yyyy-MM')}`;
  const query = { definitionKey: request.process, from, to, scopeGroups: request.scopeGroups };
  const sections: ReportSection[] = [];
  if (request.kind === 'service-quality') {
    const [totals, byDay, byChannel] = await Promise.all([
      insight.kpis(query),
      insight.kpis({ ...query, groupBy: 'day' }),
      insight.kpis({ ...query, groupBy: 'channel' }),
    ]);
    sections.push(
      summary(
        l('summary'),
        [l('kpi'), l('value'), l('target')],
        [
          [l('casesEnded'), totals.totals.cases.ended, null],
          [l('completionRate'), totals.totals.completionRate.value, target(totals, 'completionRate')],
          [l('slaCompliance'), totals.totals.slaCompliance.value, target(totals, 'slaCompliance')],
          [l('slaMetBreached'), `${totals.totals.slaCompliance.met} / ${totals.totals.slaCompliance.breached}`, null],
          [
            l('firstResponseMean'),
            hours(totals.totals.firstResponse.business.mean),
            hours(totals.targets.firstResponseBusinessMs ?? null),
          ],
          [l('firstResponseP90'), hours(totals.totals.firstResponse.business.p90), null],
          [
            l('resolutionMean'),
            hours(totals.totals.resolution.business.mean),
            hours(totals.targets.resolutionBusinessMs ?? null),
          ],
          [l('resolutionP90'), hours(totals.totals.resolution.business.p90), null],
          [l('openCases'), totals.backlog.open, target(totals, 'backlog')],
          [l('openBreaches'), totals.backlog.openBreaches, null],
          [l('costPerCase'), totals.totals.costPerCase.value, target(totals, 'costPerCase')],
        ],
      ),
    );
    sections.push(grouped(l('byDay'), l('day'), byDay, lang));
    sections.push(grouped(l('byChannel'), l('channel'), byChannel, lang));
  } else if (request.kind === 'feedback') {
    const [totals, byCategory] = await Promise.all([
      insight.kpis(query),
      insight.kpis({ ...query, groupBy: 'category' }),
    ]);
    const k = totals.totals;
    sections.push(
      summary(
        l('summary'),
        [l('kpi'), l('value'), l('target')],
        [
          [l('csatMean'), k.csat.mean, target(totals, 'csatMean')],
          [l('csatSatisfied'), k.csat.satisfied.value, target(totals, 'csatSatisfied')],
          [l('nps'), k.nps.score, target(totals, 'nps')],
          [l('surveyResponse'), k.surveyResponseRate.value, target(totals, 'surveyResponseRate')],
          [l('complaints'), k.complaintRate.complaints, null],
          [l('complaintRate'), k.complaintRate.perThousand, target(totals, 'complaintRate')],
          [l('fcr'), k.firstContactResolution.value, target(totals, 'firstContactResolution')],
          [l('reopenRate'), k.reopenRate.value, target(totals, 'reopenRate')],
          [l('improvementsRaised'), k.improvements.raised, null],
          [l('improvementsClosure'), k.improvements.closureRate.value, target(totals, 'improvementClosureRate')],
        ],
      ),
    );
    sections.push({
      title: l('byCategory'),
      columns: [l('category'), l('casesEnded'), l('csatMean'), l('csatSatisfied'), l('fcr'), l('reopenRate')],
      rows: byCategory.groups.map((g) => [
        g.key ?? '—',
        g.kpis.cases.ended,
        g.kpis.csat.mean,
        g.kpis.csat.satisfied.value,
        g.kpis.firstContactResolution.value,
        g.kpis.reopenRate.value,
      ]),
    });
  } else {
    const [{ items: register }, kris, drills] = await Promise.all([
      insight.risks({}),
      insight.kris.list(),
      insight.emergency.drills({ from, to }),
    ]);
    // drills are practice: the risk report counts real risks only
    const items = register.filter((r) => !r.drill);
    const count = (pick: (r: (typeof items)[number]) => string | null) => {
      const counts = new Map<string, number>();
      for (const r of items) counts.set(pick(r) ?? '—', (counts.get(pick(r) ?? '—') ?? 0) + 1);
      return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([key, n]) => [key, n] as Cell[]);
    };
    const inPeriod = (iso: string | null) => iso !== null && iso >= from && iso < to;
    sections.push(
      summary(
        l('summary'),
        [l('kpi'), l('value'), l('target')],
        [
          [l('risksOpen'), items.filter((r) => r.closedAt === null).length, null],
          [l('risksNew'), items.filter((r) => inPeriod(r.openedAt)).length, null],
          [l('risksClosed'), items.filter((r) => inPeriod(r.closedAt)).length, null],
          [l('treatmentsOverdue'), items.filter((r) => r.treatmentStatus === 'overdue').length, null],
          [l('emergencies'), items.filter((r) => r.stage === 'emergency').length, null],
          [l('krisRed'), kris.filter((k) => k.level === 'red').length, null],
        ],
      ),
    );
    sections.push({ title: l('byLevel'), columns: [l('level'), l('count')], rows: count((r) => r.level) });
    sections.push({ title: l('byCategory'), columns: [l('category'), l('count')], rows: count((r) => r.category) });
    sections.push({
      title: l('kris'),
      columns: [l('name'), l('level'), l('lastValue'), l('amber'), l('red'), l('owner')],
      rows: kris.map((k) => [k.name, k.level, k.lastValue, k.amber, k.red, k.owner]),
    });
    // drills are practice: measured here, apart from the counts above
    const { acknowledge, restore } = drills.summary;
    sections.push(
      summary(
        l('drills'),
        [l('kpi'), l('value'), l('target')],
        [
          [l('drillsHeld'), drills.summary.started, null],
          [l('drillAckMean'), minutes(acknowledge.mean), null],
          [l('drillAckP90'), minutes(acknowledge.p90), null],
          [l('drillAckMet'), acknowledge.n === 0 ? null : `${acknowledge.met}/${acknowledge.n}`, null],
          [l('drillRestoreMean'), minutes(restore.mean), null],
        ],
      ),
    );
    sections.push({
      title: l('register'),
      columns: [l('riskId'), l('name'), l('level'), l('strategy'), l('owner'), l('stage'), l('deadline')],
      rows: items
        .filter((r) => r.closedAt === null)
        .slice(0, 200)
        .map((r) => [r.riskId, r.title, r.level, r.strategy, r.owner, r.stage, r.treatmentDeadline]),
    });
  }
  return {
    kind: request.kind,
    title: `${l(request.kind)}${request.process ? ` · ${request.process}` : ''}`,
    periodLabel: `${periodLabel} (${insight.zone})`,
    from,
    to,
    process: request.process ?? null,
    generatedAt: insight.now().toISOString(),
    sections,
  };
}

// helpers

function summary(title: string, columns: string[], rows: Cell[][]): ReportSection {
  return { title, columns, rows };
}

function grouped(title: string, keyLabel: string, report: KpiReport, lang: ReportLang): ReportSection {
  const l = (key: keyof typeof LABELS) => LABELS[key][lang];
  const row = (key: string | null, k: KpiSet): Cell[] => [
    key ?? '—',
    k.cases.ended,
    k.slaCompliance.value,
    hours(k.firstResponse.business.mean),
    hours(k.resolution.business.mean),
    k.csat.mean,
  ];
  return {
    title,
    columns: [
      keyLabel,
      l('casesEnded'),
      l('slaCompliance'),
      l('firstResponseMean'),
      l('resolutionMean'),
      l('csatMean'),
    ],
    rows: report.groups.map((g) => row(g.key, g.kpis)),
  };
}

/** Milliseconds as hours with one decimal (business hours for the business figures). */
function minutes(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 6_000) / 10;
}

function hours(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 360_000) / 10;
}

function target(report: KpiReport, kpi: string): number | null {
  return report.targets[kpi] ?? null;
}

const LABELS = {
  'service-quality': { en: 'Service-quality report', zh: '服务质量报告' },
  feedback: { en: 'Customer-feedback report', zh: '客户反馈报告' },
  risk: { en: 'Risk report', zh: '风险报告' },
  weekOf: { en: 'Week', zh: '周' },
  monthOf: { en: 'Month', zh: '月份' },
  summary: { en: 'Summary', zh: '概要' },
  kpi: { en: 'KPI', zh: '指标' },
  value: { en: 'Value', zh: '数值' },
  target: { en: 'Target', zh: '目标' },
  casesEnded: { en: 'Cases ended', zh: '结束案件数' },
  completionRate: { en: 'Completion rate %', zh: '服务完成率 %' },
  slaCompliance: { en: 'SLA compliance %', zh: 'SLA 达成率 %' },
  slaMetBreached: { en: 'SLA clocks met / breached', zh: 'SLA 达成 / 超时' },
  firstResponseMean: { en: 'First response, mean (business h)', zh: '首次响应平均（工作小时）' },
  firstResponseP90: { en: 'First response, p90 (business h)', zh: '首次响应 p90（工作小时）' },
  resolutionMean: { en: 'Resolution, mean (business h)', zh: '处理时长平均（工作小时）' },
  resolutionP90: { en: 'Resolution, p90 (business h)', zh: '处理时长 p90（工作小时）' },
  openCases: { en: 'Open cases now', zh: '当前未结案件' },
  openBreaches: { en: 'Open breaches now', zh: '当前未结超时' },
  costPerCase: { en: 'Cost per case (CNY)', zh: '单件成本（元）' },
  byDay: { en: 'By day', zh: '按日' },
  byChannel: { en: 'By channel', zh: '按渠道' },
  byCategory: { en: 'By category', zh: '按类别' },
  byLevel: { en: 'By level', zh: '按等级' },
  day: { en: 'Day', zh: '日期' },
  channel: { en: 'Channel', zh: '渠道' },
  category: { en: 'Category', zh: '类别' },
  csatMean: { en: 'CSAT mean (1–5)', zh: '满意度均值（1–5）' },
  csatSatisfied: { en: 'Satisfied (4–5) %', zh: '满意率（4–5）%' },
  nps: { en: 'NPS', zh: '净推荐值' },
  surveyResponse: { en: 'Survey response rate %', zh: '回访率 %' },
  complaints: { en: 'Complaints', zh: '投诉数' },
  complaintRate: { en: 'Complaints per 1,000 orders', zh: '投诉率（每千单）' },
  fcr: { en: 'First-contact resolution %', zh: '一次解决率 %' },
  reopenRate: { en: 'Reopen rate %', zh: '重开率 %' },
  improvementsRaised: { en: 'Improvements raised', zh: '服务改进次数' },
  improvementsClosure: { en: 'Improvement closure rate %', zh: '改进关闭率 %' },
  risksOpen: { en: 'Open risks', zh: '未关闭风险' },
  risksNew: { en: 'New risks in the period', zh: '期间新增风险' },
  risksClosed: { en: 'Risks closed in the period', zh: '期间关闭风险' },
  treatmentsOverdue: { en: 'Overdue treatments', zh: '逾期处置' },
  emergencies: { en: 'Active emergencies', zh: '进行中的应急响应' },
  krisRed: { en: 'KRIs at red', zh: '红色 KRI' },
  kris: { en: 'Key risk indicators', zh: '关键风险指标' },
  register: { en: 'Open risks (register)', zh: '未关闭风险（登记册）' },
  drills: { en: 'Emergency drills (practice, not in the figures above)', zh: '应急演练（练习，不计入以上数据）' },
  drillsHeld: { en: 'Drills started in the period', zh: '期间开始的演练' },
  drillAckMean: { en: 'Drill acknowledgement mean (min)', zh: '演练响应启动平均（分钟）' },
  drillAckP90: { en: 'Drill acknowledgement p90 (min)', zh: '演练响应启动 P90（分钟）' },
  drillAckMet: { en: 'Drills acknowledged within R-ACK', zh: '在 R-ACK 内启动的演练' },
  drillRestoreMean: { en: 'Drill restore mean (min)', zh: '演练恢复平均（分钟）' },
  level: { en: 'Level', zh: '等级' },
  count: { en: 'Count', zh: '数量' },
  name: { en: 'Name', zh: '名称' },
  lastValue: { en: 'Last value', zh: '最新值' },
  amber: { en: 'Amber', zh: '黄色阈值' },
  red: { en: 'Red', zh: '红色阈值' },
  owner: { en: 'Owner', zh: '负责人' },
  riskId: { en: 'Risk', zh: '风险编号' },
  strategy: { en: 'Strategy', zh: '策略' },
  stage: { en: 'Stage', zh: '阶段' },
  deadline: { en: 'Treatment deadline', zh: '处置期限' },
} as const satisfies Record<string, Record<ReportLang, string>>;
