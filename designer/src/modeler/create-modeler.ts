/**
 * Creates the bpmn-js Modeler with svcflow's modules: the properties panel of the model's flavour (Camunda 7's
 * `camunda:` or Camunda 8's `zeebe:` properties), the SLA group, linting, minimap, translations.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import 'diagram-js-minimap/assets/diagram-js-minimap.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
  ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import CamundaCloudBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import CamundaPlatformBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import minimapModule from 'diagram-js-minimap';
import { api } from '../app/api';
import customTranslateModule from './custom-translate';
import engineProblemsModule from './engine-problems';
import { packedLintConfig } from './lint/packed-config';
import { moddleExtensions } from '../shared/moddle-extensions';
import slaPropertiesModule from './sla-properties';

/** Which engine's extension properties a diagram uses: Camunda 8 (`zeebe:`) or Camunda 7 (`camunda:`, the default). */
export type Flavour = 'zeebe' | 'camunda';

/** The flavour of a BPMN document, as Camunda Modeler tells them apart: its execution platform, else its namespaces. */
export function flavourOf(xml: string): Flavour {
  const head = xml.slice(0, 4000);
  const platform = /executionPlatform="([^"]+)"/.exec(head)?.[1];
  if (platform) return platform === 'Camunda Cloud' ? 'zeebe' : 'camunda';
  return head.includes('http://camunda.org/schema/zeebe/1.0') && !head.includes('http://camunda.org/schema/1.0/bpmn')
    ? 'zeebe'
    : 'camunda';
}

/** A Modeler of the given flavour drawing into `canvas`, with its properties panel in `panel`. */
export function createModeler(canvas: HTMLElement, panel: HTMLElement, flavour: Flavour = 'camunda'): BpmnModeler {
  const zeebe = flavour === 'zeebe';
  return new BpmnModeler({
    container: canvas,
    // diagram-js 15 binds keyboard shortcuts to the focused canvas (the old `bindTo: document` is gone).
    keyboard: { bind: true },
    propertiesPanel: { parent: panel },
    linting: { bpmnlint: packedLintConfig, active: true },
    minimap: { open: false },
    svcflow: { calendars: fetchCalendarIds },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      zeebe ? ZeebePropertiesProviderModule : CamundaPlatformPropertiesProviderModule,
      zeebe ? CamundaCloudBehaviorsModule : CamundaPlatformBehaviorsModule,
      lintModule,
      minimapModule,
      slaPropertiesModule,
      engineProblemsModule,
      customTranslateModule,
    ],
    moddleExtensions: moddleExtensions(zeebe ? { zeebe: zeebeModdle } : { camunda: camundaModdle }),
  });
}

// helpers

async function fetchCalendarIds(): Promise<string[]> {
  const answer = await api<unknown>('GET', '/api/calendars');
  const items = Array.isArray(answer) ? answer : ((answer as { items?: unknown[] })?.items ?? []);
  return items
    .map((item) => (typeof item === 'string' ? item : (item as { id?: string }).id))
    .filter((id): id is string => !!id);
}
