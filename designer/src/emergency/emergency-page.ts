/**
 * Emergency plans (supervisors, owners): the library of plans per risk category, a form to add or edit a plan,
 * a drill scheduled on a plan, and the past drills with their acknowledgement and restore times. Drills are
 * practice cases, shown here apart because the service KPIs leave them out.
 */
import '../styles/dashboard.css';
import '../styles/emergency.css';
import type { Page } from '../app/router';
import { t, type MessageKey } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDateTime, formatDuration } from '../shared/format';
import { toast, toastError } from '../shared/toast';
import {
  CATEGORIES,
  fetchDrills,
  fetchPlans,
  savePlan,
  scheduleDrill,
  type Category,
  type Drill,
  type DrillClock,
  type DrillStats,
  type Drills,
  type Plan,
} from './emergency-data';

const HOUR = 3_600_000;

export function createPage(): Page {
  return {
    async mount(container) {
      const plansHost = h('div', { class: 'ep-plans', 'data-testid': 'ep-plans' });
      const drillsHost = h('div', { 'data-testid': 'ep-drills' });
      const refresh = async () => {
        const [plans, drills] = await Promise.all([fetchPlans(), fetchDrills()]);
        renderPlans(plansHost, plans, { edit: form.edit, schedule });
        renderDrills(drillsHost, drills);
      };
      const schedule = async (plan: Plan, at: string) => {
        const drill = await scheduleDrill(plan.id, at);
        toast(t('ep.scheduled', { title: plan.title, at: formatDateTime(drill.scheduledAt) }));
        await refresh();
      };
      const form = planForm(refresh);
      container.appendChild(
        h(
          'div',
          { class: 'dashboard ep-page' },
          h('div', { class: 'dash-header' }, h('h1', {}, t('ep.title'))),
          h('p', { class: 'muted' }, t('ep.intro')),
          h(
            'div',
            { class: 'ep-grid' },
            panel('ep-library', t('ep.library'), plansHost),
            panel('ep-form', t('ep.new'), form.element),
          ),
          panel('ep-drills', t('ep.drills'), h('div', {}, h('p', { class: 'muted' }, t('ep.drillsNote')), drillsHost)),
        ),
      );
      await refresh().catch(toastError);
    },
  };
}

// helpers

function panel(id: string, title: string, body: HTMLElement): HTMLElement {
  return h(
    'section',
    { class: `panel panel-${id}`, 'aria-labelledby': `panel-${id}-title` },
    h('h2', { id: `panel-${id}-title` }, title),
    body,
  );
}

const categoryLabel = (c: string | null) => (c ? t(`ep.category.${c}` as MessageKey) : '—');

interface PlanActions {
  edit(plan: Plan): void;
  schedule(plan: Plan, at: string): Promise<void>;
}

/** The plans grouped by category (newest first in each), each with its edit button and drill scheduler. */
function renderPlans(host: HTMLElement, plans: Plan[], actions: PlanActions): void {
  replace(
    host,
    CATEGORIES.map((category) => {
      const own = plans.filter((p) => p.category === category);
      return h(
        'section',
        { class: 'ep-category', 'data-category': category },
        h('h3', {}, `${categoryLabel(category)} (${own.length})`),
        own.length === 0 ? h('p', { class: 'muted' }, t('ep.none')) : own.map((plan) => planCard(plan, actions)),
      );
    }),
  );
}

function planCard(plan: Plan, actions: PlanActions): HTMLElement {
  const at = h('input', {
    type: 'datetime-local',
    'aria-label': `${t('ep.drillAt')} ${plan.title}`,
    'data-testid': `ep-drill-at-${plan.title}`,
    value: localInput(new Date(Date.now() + HOUR)),
  });
  const schedule = () => {
    const when = new Date(at.value);
    if (Number.isNaN(when.getTime())) return;
    void actions.schedule(plan, when.toISOString()).catch(toastError);
  };
  return h(
    'article',
    { class: 'ep-plan', 'data-plan': plan.title },
    h(
      'div',
      { class: 'ep-plan-head' },
      h('h4', {}, plan.title),
      h(
        'button',
        {
          type: 'button',
          class: 'link-button',
          'data-testid': `ep-edit-${plan.title}`,
          onclick: () => actions.edit(plan),
        },
        t('ep.edit'),
      ),
    ),
    h(
      'p',
      { class: 'muted ep-meta' },
      `${t('ep.owner')}: ${plan.owner} · ${t('ep.created')}: ${formatDateTime(plan.createdAt)}`,
    ),
    h('p', { class: 'ep-steps' }, plan.steps),
    h(
      'div',
      { class: 'ep-schedule' },
      h('label', {}, t('ep.drillAt'), at),
      h('button', { type: 'button', 'data-testid': `ep-schedule-${plan.title}`, onclick: schedule }, t('ep.schedule')),
    ),
  );
}

/** The add/edit form; `edit` loads a plan into it. */
function planForm(refresh: () => Promise<void>): { element: HTMLElement; edit(plan: Plan): void } {
  let editing: Plan | null = null;
  const heading = h('p', { class: 'ep-editing' });
  const category = h(
    'select',
    { 'data-testid': 'ep-category' },
    ...CATEGORIES.map((c) => h('option', { value: c }, categoryLabel(c))),
  );
  const title = h('input', { type: 'text', required: true, maxLength: 200, 'data-testid': 'ep-title' });
  const steps = h('textarea', { rows: 6, required: true, maxLength: 8000, 'data-testid': 'ep-steps' });
  const owner = h('input', { type: 'text', required: true, maxLength: 200, 'data-testid': 'ep-owner' });
  const cancel = h('button', { type: 'button', hidden: true, onclick: () => reset() }, t('ep.cancelEdit'));
  const reset = () => {
    editing = null;
    title.value = '';
    steps.value = '';
    owner.value = '';
    replace(heading);
    cancel.hidden = true;
  };
  const submit = async () => {
    const saved = await savePlan(editing?.id ?? null, {
      category: category.value as Category,
      title: title.value.trim(),
      steps: steps.value.trim(),
      owner: owner.value.trim(),
    });
    toast(t('ep.saved', { title: saved.title }));
    reset();
    await refresh();
  };
  const field = (key: MessageKey, input: HTMLElement) => h('label', {}, t(key), input);
  const element = h(
    'form',
    {
      class: 'ep-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void submit().catch(toastError);
      },
    },
    heading,
    field('ep.category', category),
    field('ep.planTitle', title),
    field('ep.steps', steps),
    field('ep.owner', owner),
    h(
      'div',
      { class: 'ep-form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'ep-save' }, t('ep.save')),
      cancel,
    ),
  );
  return {
    element,
    edit(plan) {
      editing = plan;
      category.value = plan.category;
      title.value = plan.title;
      steps.value = plan.steps;
      owner.value = plan.owner;
      replace(heading, t('ep.editing', { title: plan.title }));
      cancel.hidden = false;
      title.focus();
    },
  };
}

function renderDrills(host: HTMLElement, drills: Drills): void {
  const { summary } = drills;
  const tiles = h(
    'div',
    { class: 'ep-summary', 'data-testid': 'ep-drill-summary' },
    tile(t('ep.summaryDrills'), String(summary.drills)),
    tile(t('ep.summaryStarted'), String(summary.started)),
    tile(t('ep.summaryAck'), stats(summary.acknowledge), inTime(summary.acknowledge)),
    tile(t('ep.summaryRestore'), stats(summary.restore), inTime(summary.restore)),
  );
  if (drills.items.length === 0) {
    replace(host, tiles, h('p', { class: 'muted' }, t('ep.drillsNone')));
    return;
  }
  const head = ['ep.colPlan', 'ep.category', 'ep.colScheduled', 'ep.colStatus', 'ep.colAck', 'ep.colRestore'];
  replace(
    host,
    tiles,
    h(
      'table',
      { class: 'risk-table ep-drill-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((key) => h('th', { scope: 'col' }, t(key as MessageKey))),
        ),
      ),
      h('tbody', {}, drills.items.map(drillRow)),
    ),
  );
}

function drillRow(d: Drill): HTMLElement {
  return h(
    'tr',
    { 'data-drill': d.id },
    h('td', {}, d.planTitle ?? d.planId),
    h('td', {}, categoryLabel(d.category)),
    h('td', {}, formatDateTime(d.scheduledAt)),
    h(
      'td',
      { title: d.error ?? '' },
      h('span', { class: `ep-status ep-status-${d.status}` }, t(`ep.status.${d.status}` as MessageKey)),
    ),
    h('td', {}, clock(d.acknowledge)),
    h('td', {}, clock(d.restore)),
  );
}

function clock(c: DrillClock | null): HTMLElement | string {
  if (!c) return '—';
  const status = t(`ep.clock.${c.status}` as MessageKey);
  return h(
    'span',
    { class: `ep-clock ep-clock-${c.status}` },
    c.ms === null ? status : `${formatDuration(c.ms)} · ${status}`,
  );
}

function tile(label: string, value: string, note?: string): HTMLElement {
  return h(
    'div',
    { class: 'ep-tile' },
    h('span', { class: 'ep-tile-label' }, label),
    h('strong', {}, value),
    note ? h('span', { class: 'muted' }, note) : null,
  );
}

function stats(s: DrillStats): string {
  if (s.n === 0 || s.mean === null || s.p90 === null) return '—';
  return `${formatDuration(s.mean)} / ${formatDuration(s.p90)}`;
}

function inTime(s: DrillStats): string | undefined {
  return s.n === 0 ? undefined : t('ep.inTime', { met: s.met, n: s.n });
}

/** A Date as the value of a datetime-local input (the browser's local time, minutes). */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
