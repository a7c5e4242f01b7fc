/** svcflow's SLA group for bpmn-js-properties-panel, bound to the `svc` moddle descriptor. */
import SlaCalendars from './SlaCalendars';
import SlaPropertiesProvider from './SlaPropertiesProvider';

export default {
  __init__: ['slaPropertiesProvider'],
  slaPropertiesProvider: ['type', SlaPropertiesProvider],
  slaCalendars: ['type', SlaCalendars],
};
