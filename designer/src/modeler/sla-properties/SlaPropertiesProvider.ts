/** Adds the "Service level (SLA)" group to user tasks, sub-processes and processes in the properties panel. */
import { Group, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import type { BpmnElement } from '../bpmn-types';
import { SlaCalendarEntry, SlaPauseWhileEntry, SlaTargetEntry, SlaWarnAtEntry } from './SlaEntries';
import { slaHolder } from './sla-model';

const LOW_PRIORITY = 500;

interface PropertiesPanel {
  registerProvider(priority: number, provider: unknown): void;
}
interface PanelGroup {
  id: string;
  label: string;
  entries: unknown[];
  component?: unknown;
}

export default class SlaPropertiesProvider {
  static $inject = ['propertiesPanel', 'translate'];

  constructor(
    propertiesPanel: PropertiesPanel,
    private readonly translate: (s: string) => string,
  ) {
    propertiesPanel.registerProvider(LOW_PRIORITY, this);
  }

  /** Places the SLA group right after the general group of every element that may carry an SLA. */
  getGroups(element: BpmnElement) {
    return (groups: PanelGroup[]) => {
      const holder = slaHolder(element);
      if (!holder) return groups;
      const entry = (id: string, component: unknown, isEdited: unknown) => ({
        id: `svc-sla-${id}`,
        component,
        isEdited,
        element,
        holder,
      });
      const group: PanelGroup = {
        id: 'svc-sla',
        label: this.translate('Service level (SLA)'),
        component: Group,
        entries: [
          entry('target', SlaTargetEntry, isTextFieldEntryEdited),
          entry('warnAt', SlaWarnAtEntry, isTextFieldEntryEdited),
          entry('calendar', SlaCalendarEntry, isSelectEntryEdited),
          entry('pauseWhile', SlaPauseWhileEntry, isTextFieldEntryEdited),
        ],
      };
      const general = groups.findIndex((candidate) => candidate.id === 'general');
      groups.splice(general + 1, 0, group);
      return groups;
    };
  }
}
