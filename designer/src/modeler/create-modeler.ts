/** Creates the bpmn-js Modeler with svcflow's modules: Camunda 7 properties, SLA group, linting, minimap, translations. */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import 'diagram-js-minimap/assets/diagram-js-minimap.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import minimapModule from 'diagram-js-minimap';
import { api } from '../app/api';
import customTranslateModule from './custom-translate';
import engineProblemsModule from './engine-problems';
import { packedLintConfig } from './lint/packed-config';
import { moddleExtensions } from '../shared/moddle-extensions';
import slaPropertiesModule from './sla-properties';

/** A Modeler drawing into `canvas`, with its properties panel in `panel`. */
export function createModeler(canvas: HTMLElement, panel: HTMLElement): BpmnModeler {
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
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviorsModule,
      lintModule,
      minimapModule,
      slaPropertiesModule,
      engineProblemsModule,
      customTranslateModule,
    ],
    moddleExtensions: moddleExtensions({ camunda: camundaModdle }),
  });
}

// helpers

async function fetchCalendarIds(): Promise<string[]> {
  const answer = await api<unknown>('GET', '/api/calendars');
  const items = Array.isArray(answer) ? answer : (answer as { items?: unknown[] })?.items ?? [];
  return items.map((item) => typeof item === 'string' ? item : (item as { id?: string }).id).filter((id): id is string => !!id);
}
