/** BPMN models the API suites deploy. */
import * as b from '../helpers/bpmn-builder.js';

/** Two user tasks in a row, so the instance is still active after the first is completed. */
export function reviewProcess(name = 'Review'): string {
  return b
    .definitions('Process_review', [
      b.start('Start_received'),
      b.userTask('Task_review', { groups: 'complaints' }),
      b.userTask('Task_approve', { groups: 'supervisors' }),
      b.end('End_done'),
      ...b.chain('Start_received', 'Task_review', 'Task_approve', 'End_done'),
    ])
    .replace('<bpmn:process id="Process_review"', `<bpmn:process id="Process_review" name="${name}"`);
}

/** A service task worked by an external worker (type 'charge-card'), with an error boundary for 'CARD_DECLINED'. */
export function chargeProcess(): string {
  return b.definitions(
    'Process_charge',
    [
      b.start('Start_order'),
      b.serviceTask('Task_charge', 'charge-card'),
      b.boundary('Boundary_declined', 'Task_charge', { error: 'Error_declined' }),
      b.end('End_charged'),
      b.end('End_declined'),
      ...b.chain('Start_order', 'Task_charge', 'End_charged'),
      b.flow('Boundary_declined', 'End_declined'),
    ],
    [b.error('Error_declined', 'CARD_DECLINED')],
  );
}

/** Waits for message 'customer.replied' correlated by the variable caseId. */
export function replyProcess(): string {
  return b.definitions(
    'Process_reply',
    [
      b.start('Start_case'),
      b.messageCatch('Event_reply', 'Message_reply'),
      b.end('End_replied'),
      ...b.chain('Start_case', 'Event_reply', 'End_replied'),
    ],
    [b.message('Message_reply', 'customer.replied', '=caseId')],
  );
}

/** Not deployable: a gateway without conditions or default, and a flow to an element that does not exist. */
export function invalidProcess(): string {
  return b.definitions('Process_broken', [
    b.start('Start_1'),
    b.gateway('exclusive', 'Gateway_route'),
    b.task('Task_a'),
    b.task('Task_b'),
    b.end('End_1'),
    ...b.chain('Start_1', 'Gateway_route', 'Task_a', 'End_1'),
    b.flow('Gateway_route', 'Task_b'),
    b.flow('Task_b', 'Task_missing'),
  ]);
}
