/**
 * The decision designer (process owners): DMN decision tables edited with dmn-js, deployed like a diagram through
 * POST /api/definitions, and tried against the deployed version with POST /api/decisions/{key}/evaluate.
 */
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import '../../styles/designer.css';
import DmnModeler, { type DmnView } from 'dmn-js/lib/Modeler';
import { api, ApiProblem, query } from '../../app/api';
import type { Page } from '../../app/router';
import { t } from '../../i18n';
import { openDialog } from '../../shared/dialog';
import { h, replace } from '../../shared/dom';
import { formatDateTime } from '../../shared/format';
import { toast, toastError } from '../../shared/toast';
import { translateWith } from '../custom-translate/customTranslate';
import { download, fileNameFor, pickFile } from '../diagram-io';
import { dmnZh } from './dmn-zh';

const DMN_FILES = '.dmn,.xml,application/xml,text/xml';
const DRAFT_KEY = 'svcflow.decisions.draft';
/** dmn-js's `translate` service, following the app's language in every view. */
const TRANSLATE = {
  translate: [
    'value',
    (template: string, replacements?: Record<string, string>) => translateWith(dmnZh, template, replacements),
  ],
};

interface DecisionSummary {
  id: string;
  key: string;
  version: number;
  name: string | null;
  deployedAt: string;
}

interface Deployed {
  decisions: Array<{ key: string; version: number; created: boolean }>;
}

interface Evaluation {
  decisionId: string;
  version: number;
  value: unknown;
  matchedRules: string[];
  warnings: string[];
}

export function createPage(): Page {
  let modeler: DmnModeler | null = null;
  return {
    async mount(container) {
      const canvas = h('div', { class: 'designer-canvas decision-canvas', 'data-testid': 'dmn-canvas' });
      const tabs = h('nav', { class: 'decision-views', 'aria-label': t('decisions.views') });
      const problems = h('ul', { class: 'problem-items', 'data-testid': 'dmn-problems' });
      const dmn = new DmnModeler({
        container: canvas,
        keyboard: { bindTo: document },
        // per view: dmn-js drops `common.additionalModules` when it builds each view's editor
        drd: { additionalModules: [TRANSLATE] },
        decisionTable: { additionalModules: [TRANSLATE] },
        literalExpression: { additionalModules: [TRANSLATE] },
        boxedExpression: { additionalModules: [TRANSLATE] },
      });
      modeler = dmn;
      dmn.on('views.changed', () => renderTabs(dmn, tabs));
      dmn.on('elements.changed', () => void keepDraft(dmn));
      const open = (xml: string) => openXml(dmn, xml, problems);
      replace(
        container,
        h(
          'div',
          { class: 'designer decision-designer' },
          toolbar(dmn, open, problems),
          tabs,
          h('div', { class: 'designer-body' }, canvas, tryPanel(dmn)),
          h('section', { class: 'problems', 'aria-live': 'polite' }, problems),
        ),
      );
      await open(await initialXml());
    },
    unmount() {
      modeler?.destroy();
      modeler = null;
    },
  };
}

// helpers

function toolbar(dmn: DmnModeler, open: (xml: string) => Promise<void>, problems: HTMLElement): HTMLElement {
  const button = (id: string, label: string, run: () => unknown) =>
    h(
      'button',
      { type: 'button', 'data-action': id, onclick: () => void Promise.resolve(run()).catch(toastError) },
      label,
    );
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': t('designer.toolbar') },
    h(
      'div',
      { class: 'toolbar-group' },
      button('new-decision', t('decisions.new'), () => open(newDecisionXml())),
      button('open-file', t('designer.openFile'), async () => {
        const xml = await pickFile(DMN_FILES);
        if (xml) await open(xml);
      }),
      button('open-deployed', t('designer.openDeployed'), async () => {
        const xml = await chooseDeployedDecision();
        if (xml) await open(xml);
      }),
    ),
    h(
      'div',
      { class: 'toolbar-group' },
      button('download-dmn', t('decisions.download'), async () => {
        const { xml } = await dmn.saveXML({ format: true });
        download(fileNameFor(decisionOf(dmn)?.id, 'dmn'), xml ?? '', 'application/xml');
      }),
    ),
    h(
      'div',
      { class: 'toolbar-group toolbar-end' },
      h(
        'button',
        { type: 'button', class: 'primary', 'data-action': 'deploy', onclick: () => void deploy(dmn, problems) },
        t('designer.deploy'),
      ),
    ),
  );
}

/** One tab per view of the document: the requirements diagram and each decision. */
function renderTabs(dmn: DmnModeler, tabs: HTMLElement): void {
  const active = dmn.getActiveView();
  replace(
    tabs,
    dmn.getViews().map((view) =>
      h(
        'button',
        {
          type: 'button',
          class: view === active ? 'decision-view active' : 'decision-view',
          'aria-pressed': String(view === active),
          'data-view': view.element.id,
          onclick: () => void dmn.open(view).catch(toastError),
        },
        view.type === 'drd' ? t('decisions.drd') : (view.element.name ?? view.element.id),
      ),
    ),
  );
}

/** Imports a document and opens its first decision (the table is what owners edit), clearing old problems. */
async function openXml(dmn: DmnModeler, xml: string, problems: HTMLElement): Promise<void> {
  try {
    await dmn.importXML(xml);
    const first = dmn.getViews().find((view) => view.type !== 'drd');
    if (first) await dmn.open(first);
    replace(problems);
    sessionStorage.setItem(DRAFT_KEY, xml);
  } catch (error) {
    toastError(new Error(t('designer.importFailed', { reason: (error as Error).message })));
  }
}

async function deploy(dmn: DmnModeler, problems: HTMLElement): Promise<void> {
  const { xml } = await dmn.saveXML({ format: true });
  try {
    const deployed = await api<Deployed>('POST', '/api/definitions', { body: xml, contentType: 'application/xml' });
    replace(problems);
    for (const decision of deployed.decisions) {
      const key = decision.created ? 'designer.deployed' : 'designer.deployedUnchanged';
      toast(t(key, { key: decision.key, version: decision.version }), 'success');
    }
  } catch (error) {
    if (!(error instanceof ApiProblem) || error.problems.length === 0) return toastError(error);
    replace(
      problems,
      error.problems.map((p) =>
        h('li', { class: 'problem problem-error' }, h('code', {}, p.elementId ?? p.code), ' ', p.message),
      ),
    );
    toast(t('decisions.deployRejected', { n: error.problems.length }), 'error');
  }
}

/** Variables in, the deployed decision's answer out: for checking a table before a process relies on it. */
function tryPanel(dmn: DmnModeler): HTMLElement {
  const variables = h('textarea', {
    class: 'decision-try-input',
    rows: 6,
    spellcheck: 'false',
    'aria-label': t('decisions.tryVariables'),
    'data-testid': 'try-variables',
  }) as HTMLTextAreaElement;
  variables.value = '{\n  \n}';
  const result = h('pre', { class: 'decision-try-result', 'data-testid': 'try-result', 'aria-live': 'polite' });
  const evaluate = async () => {
    const decision = decisionOf(dmn);
    if (!decision) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(variables.value);
    } catch {
      return toast(t('decisions.tryNotJson'), 'error');
    }
    try {
      const answer = await api<Evaluation>('POST', `/api/decisions/${encodeURIComponent(decision.id)}/evaluate`, {
        body: { variables: parsed },
      });
      result.textContent = [
        `${answer.decisionId} v${answer.version}`,
        JSON.stringify(answer.value, null, 2),
        `${t('decisions.matchedRules')}: ${answer.matchedRules.join(', ') || '—'}`,
        ...answer.warnings,
      ].join('\n');
    } catch (error) {
      result.textContent = (error as Error).message;
    }
  };
  return h(
    'aside',
    { class: 'designer-panel decision-try', 'aria-label': t('decisions.try') },
    h('h2', {}, t('decisions.try')),
    h('p', { class: 'muted' }, t('decisions.tryHint')),
    variables,
    h(
      'button',
      { type: 'button', 'data-action': 'evaluate', onclick: () => void evaluate().catch(toastError) },
      t('decisions.evaluate'),
    ),
    result,
  );
}

/** The decision being edited, or the first decision of the document while the requirements diagram shows. */
function decisionOf(dmn: DmnModeler): DmnView['element'] | undefined {
  const active = dmn.getActiveView();
  if (active && active.type !== 'drd') return active.element;
  return dmn.getViews().find((view) => view.type !== 'drd')?.element;
}

function chooseDeployedDecision(): Promise<string | null> {
  let chosen: string | null = null;
  const body = h('div', { class: 'definition-chooser' }, h('p', { class: 'loading' }, t('common.loading')));
  const dialog = openDialog({ title: t('decisions.openDeployed'), body, testId: 'open-deployed-decision' });
  const choose = async (decision: DecisionSummary) => {
    try {
      chosen = await api<string>('GET', `/api/decisions/${encodeURIComponent(decision.id)}/xml`, { text: true });
      dialog.close();
    } catch (error) {
      toastError(error);
    }
  };
  void api<{ items: DecisionSummary[] }>('GET', `/api/decisions${query({ latestOnly: 'true', limit: 200 })}`).then(
    (page) =>
      replace(
        body,
        page.items.length === 0
          ? h('p', {}, t('decisions.noneDeployed'))
          : h(
              'ul',
              { class: 'choice-list' },
              page.items.map((decision) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    { type: 'button', class: 'choice', onclick: () => void choose(decision) },
                    h('strong', {}, decision.name ?? decision.key),
                    h(
                      'span',
                      { class: 'muted' },
                      `${decision.key} · v${decision.version} · ${formatDateTime(decision.deployedAt)}`,
                    ),
                  ),
                ),
              ),
            ),
      ),
    (error: Error) => replace(body, h('p', { class: 'form-error' }, error.message)),
  );
  return dialog.closed.then(() => chosen);
}

async function initialXml(): Promise<string> {
  const decisionId = new URLSearchParams(location.search).get('decision');
  if (decisionId) {
    try {
      return await api<string>('GET', `/api/decisions/${encodeURIComponent(decisionId)}/xml`, { text: true });
    } catch (error) {
      toastError(error);
    }
  }
  return sessionStorage.getItem(DRAFT_KEY) ?? newDecisionXml();
}

async function keepDraft(dmn: DmnModeler): Promise<void> {
  const { xml } = await dmn.saveXML();
  if (xml) sessionStorage.setItem(DRAFT_KEY, xml);
}

/** A one-input, one-output decision table (hit policy UNIQUE) with one empty rule, ready to fill in. */
export function newDecisionXml(): string {
  const suffix = Math.random().toString(36).slice(2, 9);
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="Definitions_${suffix}" name="Decisions" namespace="https://svcflow.dev/dmn">
  <decision id="Decision_${suffix}" name="Decision">
    <decisionTable id="DecisionTable_${suffix}">
      <input id="Input_${suffix}" label="Input">
        <inputExpression id="InputExpression_${suffix}" typeRef="string"><text>input</text></inputExpression>
      </input>
      <output id="Output_${suffix}" label="Output" name="result" typeRef="string" />
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="DMNDiagram_${suffix}">
      <dmndi:DMNShape id="DMNShape_${suffix}" dmnElementRef="Decision_${suffix}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>`;
}
