/** The entries of the SLA group: Preact components for the properties panel, bound to svc:sla. */
import { SelectEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import type { BpmnElement, ModdleElement } from '../bpmn-types';
import { getSlaValue, setSlaValue, type SlaProperty } from './sla-model';

interface EntryProps {
  element: BpmnElement;
  holder: ModdleElement;
  id: string;
}

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export function SlaTargetEntry(props: EntryProps) {
  const translate = useService<(s: string) => string>('translate');
  return textField(props, 'target', {
    label: translate('Target'),
    description: translate('ISO 8601 duration in business time (PT4H, P3D) or a FEEL expression starting with ='),
    validate: (value: string) =>
      !value || value.startsWith('=') || ISO_DURATION.test(value)
        ? null
        : translate('Not an ISO 8601 duration, e.g. PT4H or P2D'),
  });
}

export function SlaWarnAtEntry(props: EntryProps) {
  const translate = useService<(s: string) => string>('translate');
  return textField(props, 'warnAt', {
    label: translate('Warn at'),
    description: translate('Fractions of the target, e.g. 0.75 or 0.5,0.75'),
    validate: (value: string) =>
      value
        .split(',')
        .map((p) => p.trim())
        .every((p) => p === '' || (Number(p) > 0 && Number(p) < 1))
        ? null
        : translate('Use fractions between 0 and 1'),
  });
}

export function SlaCalendarEntry({ element, holder, id }: EntryProps) {
  const translate = useService<(s: string) => string>('translate');
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const calendars = useService<{ ids(): string[] }>('slaCalendars');
  return h(SelectEntry, {
    element,
    id,
    label: translate('Business calendar'),
    getValue: () => getSlaValue(holder, 'calendar'),
    setValue: (value: string) => setSlaValue({ commandStack, bpmnFactory }, element, holder, 'calendar', value),
    getOptions: () => [
      { value: '', label: translate('<default calendar>') },
      ...withCurrent(calendars.ids(), getSlaValue(holder, 'calendar')).map((value) => ({ value, label: value })),
    ],
  });
}

export function SlaPauseWhileEntry(props: EntryProps) {
  const translate = useService<(s: string) => string>('translate');
  return textField(props, 'pauseWhile', {
    label: translate('Pause while'),
    description: translate('Element ids or states, comma-separated, during which the clock stops'),
  });
}

// helpers

function textField(
  { element, holder, id }: EntryProps,
  name: SlaProperty,
  options: { label: string; description?: string; validate?: (value: string) => string | null },
) {
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  return h(TextFieldEntry, {
    element,
    id,
    debounce,
    ...options,
    getValue: () => getSlaValue(holder, name),
    setValue: (value: string) => setSlaValue({ commandStack, bpmnFactory }, element, holder, name, value ?? ''),
  });
}

function withCurrent(ids: string[], current: string): string[] {
  return current && !ids.includes(current) ? [...ids, current] : ids;
}
