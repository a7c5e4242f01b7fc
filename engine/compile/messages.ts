/** The messages a process receives and those it sends inside the engine (send elements without a job type). */
import type { ProcessModel } from '../bpmn/model.js';
import { sendsMessage } from '../bpmn/validate-nodes.js';

/** The job type of a message sent inside the engine: the engine's own worker correlates it. */
export const MESSAGE_JOB_TYPE = 'svc.message.send';

export interface ProcessMessages {
  /** Names of the messages its catch events, boundaries, receive tasks and start events wait for. */
  received: string[];
  /** Elements that send a message inside the engine, and the message's name. */
  sent: Array<{ elementId: string; elementType: string; messageName: string }>;
}

export function messagesOf(model: ProcessModel): ProcessMessages {
  const nodes = Object.values(model.nodes);
  const received = nodes
    .filter((n) => !sendsMessage(n) && n.event?.kind === 'message')
    .map((n) => (n.event?.kind === 'message' ? n.event.messageName : ''));
  const sent = nodes
    .filter((n) => sendsMessage(n) && !n.jobType && n.event?.kind === 'message')
    .map((n) => ({
      elementId: n.id,
      elementType: n.type,
      messageName: n.event?.kind === 'message' ? n.event.messageName : '',
    }));
  return { received: [...new Set(received)], sent };
}
