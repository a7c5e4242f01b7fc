/**
 * Every route × every role × own/other group, generated from the route table: a route added without a
 * row here fails, and each row says who may call it and which resource rule scopes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import * as b from '../../helpers/bpmn-builder.js';
import { deployForm, testApp, type Caller, type TestApp } from '../../helpers/app.js';

type Roles = 'public' | 'any' | string[];
/**
 * How a route's answer depends on the caller's groups: not at all, or by the task / instance / incident it names, or by
 * what a list holds. A 'hidden-task' route goes through the engine's task writes, which do not tell a caller that a task
 * it may not see exists: 404, where the other scoped routes answer 403.
 */
type Scope = 'none' | 'task' | 'hidden-task' | 'instance' | 'incident' | 'list' | 'stream' | 'locked-job';
interface Rule {
  roles: Roles;
  scope: Scope;
}

const STAFF_SUP_OWNER = ['staff', 'supervisor', 'owner'];
const WORK = ['staff', 'supervisor'];
const WORKER_SUP_OWNER = ['worker', 'supervisor', 'owner'];
const SUP_OWNER = ['supervisor', 'owner'];

const RULES: Record<string, Rule> = {
  'GET /docs': { roles: 'public', scope: 'none' },
  'GET /docs/static/index.html': { roles: 'public', scope: 'none' },
  'GET /docs/static/swagger-initializer.js': { roles: 'public', scope: 'none' },
  'GET /docs/json': { roles: 'public', scope: 'none' },
  'GET /docs/yaml': { roles: 'public', scope: 'none' },
  'GET /docs/static/*': { roles: 'public', scope: 'none' },
  'GET /health': { roles: 'public', scope: 'none' },
  'GET /ready': { roles: 'public', scope: 'none' },
  'POST /api/definitions': { roles: ['owner'], scope: 'none' },
  'GET /api/definitions': { roles: 'any', scope: 'none' },
  'GET /api/definitions/:id': { roles: 'any', scope: 'none' },
  'GET /api/definitions/:id/xml': { roles: 'any', scope: 'none' },
  // decisions are models like the process definitions: anyone signed in may read and try them
  'GET /api/decisions': { roles: 'any', scope: 'none' },
  'GET /api/decisions/:id': { roles: 'any', scope: 'none' },
  'GET /api/decisions/:id/xml': { roles: 'any', scope: 'none' },
  'POST /api/decisions/:key/evaluate': { roles: 'any', scope: 'none' },
  'GET /engine-rest/decision-definition': { roles: 'any', scope: 'none' },
  'POST /engine-rest/decision-definition/key/:key/evaluate': { roles: 'any', scope: 'none' },
  'POST /engine-rest/decision-definition/:id/evaluate': { roles: 'any', scope: 'none' },
  'POST /v2/decision-definitions/evaluation': { roles: 'any', scope: 'none' },
  'POST /api/instances': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /api/startable-processes': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'POST /api/instances/duplicates': { roles: STAFF_SUP_OWNER, scope: 'none' },
  // a case the caller may not see answers 404 CASE_NOT_FOUND (tests/api/cases.test.ts), never 403
  'GET /api/cases': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /api/cases/:businessKey': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'POST /api/cases/:businessKey/notes': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'POST /api/cases/:businessKey/attachments': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /api/cases/:businessKey/attachments/:id': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'POST /api/cases/:businessKey/duplicate-of': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /api/inbox': { roles: 'any', scope: 'none' },
  'POST /api/inbox/read': { roles: 'any', scope: 'none' },
  'GET /api/deliveries': { roles: ['supervisor', 'owner'], scope: 'list' },
  'POST /api/notification-templates/:name/preview': { roles: ['owner', 'supervisor'], scope: 'none' },
  'GET /survey/:token': { roles: 'public', scope: 'none' },
  'POST /survey/:token': { roles: 'public', scope: 'none' },
  'GET /api/instances': { roles: STAFF_SUP_OWNER, scope: 'list' },
  'GET /api/instances/:id': { roles: STAFF_SUP_OWNER, scope: 'instance' },
  'GET /api/instances/:id/history': { roles: STAFF_SUP_OWNER, scope: 'instance' },
  'POST /api/instances/:id/cancel': { roles: ['supervisor'], scope: 'instance' },
  'POST /api/instances/:id/suspend': { roles: SUP_OWNER, scope: 'instance' },
  'POST /api/instances/:id/resume': { roles: SUP_OWNER, scope: 'instance' },
  // the body is checked before the instance's scope: an empty body answers 400 to anyone (tests/api/ad-hoc.test.ts)
  'POST /api/instances/:id/activate': { roles: WORK, scope: 'none' },
  'GET /api/tasks': { roles: STAFF_SUP_OWNER, scope: 'list' },
  'GET /api/tasks/:id': { roles: STAFF_SUP_OWNER, scope: 'task' },
  'POST /api/tasks/:id/claim': { roles: WORK, scope: 'task' },
  'POST /api/tasks/:id/unclaim': { roles: WORK, scope: 'task' },
  'POST /api/tasks/:id/complete': { roles: WORK, scope: 'task' },
  'POST /api/messages': { roles: WORKER_SUP_OWNER, scope: 'none' },
  'POST /api/signals': { roles: WORKER_SUP_OWNER, scope: 'none' },
  'POST /api/jobs/fetch-and-lock': { roles: ['worker'], scope: 'none' },
  'POST /api/jobs/:id/complete': { roles: ['worker'], scope: 'locked-job' },
  'POST /api/jobs/:id/fail': { roles: ['worker'], scope: 'locked-job' },
  'POST /api/jobs/:id/bpmn-error': { roles: ['worker'], scope: 'locked-job' },
  'GET /api/jobs': { roles: WORKER_SUP_OWNER, scope: 'list' },
  'GET /api/incidents': { roles: ['supervisor', 'owner'], scope: 'list' },
  'POST /api/incidents/:id/retry': { roles: ['supervisor'], scope: 'incident' },
  'GET /api/notifications': { roles: 'any', scope: 'list' },
  'POST /api/auth/login': { roles: 'public', scope: 'none' },
  'POST /api/auth/logout': { roles: 'any', scope: 'none' },
  'GET /api/me': { roles: 'any', scope: 'none' },
  'POST /api/me/password': { roles: 'any', scope: 'none' },
  'GET /api/users': { roles: ['admin'], scope: 'none' },
  'POST /api/users': { roles: ['admin'], scope: 'none' },
  'GET /api/users/:username': { roles: ['admin'], scope: 'none' },
  'PATCH /api/users/:username': { roles: ['admin'], scope: 'none' },
  'DELETE /api/users/:username': { roles: ['admin'], scope: 'none' },
  'GET /api/groups': { roles: 'any', scope: 'none' },
  'POST /api/groups': { roles: ['admin'], scope: 'none' },
  'PUT /api/groups/:id/members': { roles: ['admin'], scope: 'none' },
  'POST /api/tokens': { roles: ['admin'], scope: 'none' },
  'GET /api/tokens': { roles: ['admin'], scope: 'none' },
  'DELETE /api/tokens/:id': { roles: ['admin'], scope: 'none' },
  'GET /api/forms/:formKey': { roles: 'any', scope: 'none' },
  'GET /api/tasks/:id/form': { roles: STAFF_SUP_OWNER, scope: 'task' },
  'GET /api/definitions/:id/start-form': { roles: 'any', scope: 'none' },
  'GET /engine-rest/task/:id/form': { roles: STAFF_SUP_OWNER, scope: 'task' },
  'GET /engine-rest/task/:id/deployed-form': { roles: STAFF_SUP_OWNER, scope: 'task' },
  'GET /engine-rest/process-definition/:id/deployed-start-form': { roles: 'any', scope: 'none' },
  'PUT /api/forms/:formKey': { roles: ['owner'], scope: 'none' },
  'GET /api/events': { roles: 'any', scope: 'stream' },
  'GET /api/sla': { roles: SUP_OWNER, scope: 'list' },
  'GET /api/sla/report': { roles: SUP_OWNER, scope: 'none' },
  // KPI figures are scoped inside the answer (a supervisor's groups' cases), never per named resource
  'GET /api/kpis': { roles: SUP_OWNER, scope: 'none' },
  'POST /api/volumes': { roles: ['owner', 'worker'], scope: 'none' },
  'GET /api/kpis/elements': { roles: SUP_OWNER, scope: 'none' },
  'GET /api/reports/:kind': { roles: SUP_OWNER, scope: 'none' },
  'GET /api/report-schedules': { roles: SUP_OWNER, scope: 'none' },
  'POST /api/report-schedules': { roles: SUP_OWNER, scope: 'none' },
  'GET /api/report-schedules/:id': { roles: SUP_OWNER, scope: 'none' },
  'DELETE /api/report-schedules/:id': { roles: ['owner'], scope: 'none' },
  'GET /api/emergency-plans': { roles: SUP_OWNER, scope: 'none' },
  'POST /api/emergency-plans': { roles: SUP_OWNER, scope: 'none' },
  'POST /api/emergency-plans/:id/drills': { roles: SUP_OWNER, scope: 'none' },
  'PUT /api/emergency-plans/:id': { roles: SUP_OWNER, scope: 'none' },
  'GET /api/drills': { roles: SUP_OWNER, scope: 'none' },
  'GET /api/kpis/targets/:key': { roles: SUP_OWNER, scope: 'none' },
  'PUT /api/kpis/targets/:key': { roles: ['owner'], scope: 'none' },
  'GET /api/risks': { roles: SUP_OWNER, scope: 'none' },
  'GET /api/kris': { roles: SUP_OWNER, scope: 'none' },
  'POST /api/kris': { roles: SUP_OWNER, scope: 'none' },
  'GET /api/kris/:id': { roles: SUP_OWNER, scope: 'none' },
  'GET /api/kris/:id/readings': { roles: SUP_OWNER, scope: 'none' },
  'POST /api/kris/:id/readings': { roles: ['supervisor', 'owner', 'worker'], scope: 'none' },
  'GET /api/improvements': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'POST /api/improvements': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /api/improvements/:id': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'POST /api/improvements/:id/stage': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /api/calendars': { roles: 'any', scope: 'none' },
  'GET /api/calendars/coverage': { roles: 'any', scope: 'none' },
  'GET /api/calendars/:id': { roles: 'any', scope: 'none' },
  'PUT /api/calendars/:id': { roles: ['owner'], scope: 'none' },
  'GET /engine-rest/version': { roles: 'any', scope: 'none' },
  'GET /engine-rest/deployment': { roles: 'any', scope: 'none' },
  'POST /engine-rest/deployment/create': { roles: ['owner'], scope: 'none' },
  'POST /engine-rest/process-definition/key/:key/start': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'POST /engine-rest/process-definition/:id/start': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'POST /engine-rest/message': { roles: WORKER_SUP_OWNER, scope: 'none' },
  'POST /engine-rest/signal': { roles: WORKER_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/task': { roles: STAFF_SUP_OWNER, scope: 'list' },
  'GET /engine-rest/task/:id': { roles: STAFF_SUP_OWNER, scope: 'task' },
  'POST /engine-rest/task/:id/claim': { roles: WORK, scope: 'task' },
  'POST /engine-rest/task/:id/assignee': { roles: WORK, scope: 'task' },
  'POST /engine-rest/task/:id/delegate': { roles: WORK, scope: 'task' },
  'POST /engine-rest/task/:id/unclaim': { roles: WORK, scope: 'task' },
  'POST /engine-rest/task/:id/complete': { roles: WORK, scope: 'task' },
  'POST /engine-rest/external-task/fetchAndLock': { roles: ['worker'], scope: 'none' },
  'POST /engine-rest/external-task/:id/complete': { roles: ['worker'], scope: 'locked-job' },
  'POST /engine-rest/external-task/:id/failure': { roles: ['worker'], scope: 'locked-job' },
  'POST /engine-rest/external-task/:id/bpmnError': { roles: ['worker'], scope: 'locked-job' },
  // routes added since (KPIs, risks, Camunda work): their role rule is checked here; their group scoping in their own suites
  'GET /engine-rest/external-task': { roles: ['worker', 'supervisor', 'owner'], scope: 'none' },
  'GET /engine-rest/external-task/:id': { roles: ['worker', 'supervisor', 'owner'], scope: 'none' },
  'POST /engine-rest/external-task/:id/lock': { roles: ['worker'], scope: 'none' },
  'POST /engine-rest/external-task/:id/extendLock': { roles: ['worker'], scope: 'none' },
  'POST /engine-rest/external-task/:id/unlock': { roles: ['worker'], scope: 'none' },
  'PUT /engine-rest/external-task/:id/retries': { roles: ['supervisor', 'owner', 'worker'], scope: 'none' },
  // Camunda 7 task, read and Modeler routes and the Camunda 8 /v2 subset
  // the body is checked before the task's scope: a bad body answers 400 to anyone, naming no task data
  'POST /engine-rest/task/:id/bpmnError': { roles: ['staff', 'supervisor'], scope: 'none' },
  'POST /engine-rest/task/:id/bpmnEscalation': { roles: ['staff', 'supervisor'], scope: 'none' },
  'GET /engine-rest/task/:id/variables': { roles: ['staff', 'supervisor', 'owner'], scope: 'task' },
  'GET /engine-rest/task/:id/form-variables': { roles: ['staff', 'supervisor', 'owner'], scope: 'task' },
  'POST /engine-rest/task/:id/comment/create': { roles: ['staff', 'supervisor'], scope: 'none' },
  'GET /engine-rest/task/:id/comment': { roles: ['staff', 'supervisor', 'owner'], scope: 'task' },
  'GET /engine-rest/task/:id/comment/:commentId': { roles: ['staff', 'supervisor', 'owner'], scope: 'none' },
  'GET /engine-rest/task/:id/identity-links': { roles: ['staff', 'supervisor', 'owner'], scope: 'task' },
  'GET /engine-rest/task/:id/variables/:varName': { roles: ['staff', 'supervisor', 'owner'], scope: 'hidden-task' },
  'PUT /engine-rest/task/:id/variables/:varName': { roles: ['staff', 'supervisor'], scope: 'hidden-task' },
  'DELETE /engine-rest/task/:id/variables/:varName': { roles: ['staff', 'supervisor'], scope: 'hidden-task' },
  'POST /engine-rest/task/:id/variables': { roles: ['staff', 'supervisor'], scope: 'hidden-task' },
  'POST /engine-rest/task/:id/identity-links': { roles: ['staff', 'supervisor'], scope: 'none' },
  'POST /engine-rest/task/:id/identity-links/delete': { roles: ['staff', 'supervisor'], scope: 'none' },
  'GET /engine-rest/process-definition': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'GET /engine-rest/process-definition/key/:key': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'GET /engine-rest/process-definition/key/:key/xml': {
    roles: ['staff', 'supervisor', 'owner', 'worker'],
    scope: 'none',
  },
  'GET /engine-rest/process-definition/:id/xml': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'GET /engine-rest/process-instance/:id': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'instance' },
  'GET /engine-rest/process-instance/:id/variables': {
    roles: ['staff', 'supervisor', 'owner', 'worker'],
    scope: 'instance',
  },
  'GET /engine-rest/deployment/count': { roles: 'any', scope: 'none' },
  'GET /engine-rest/deployment/:id': { roles: 'any', scope: 'none' },
  'DELETE /engine-rest/deployment/:id': { roles: ['owner'], scope: 'none' },
  'GET /engine-rest/process-definition/:id': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'GET /engine-rest/process-definition/statistics': { roles: ['owner'], scope: 'none' },
  'GET /engine-rest/process-definition/:id/statistics': { roles: ['owner'], scope: 'none' },
  'GET /engine-rest/process-definition/key/:key/statistics': { roles: ['owner'], scope: 'none' },
  'GET /engine-rest/process-instance': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'list' },
  'POST /engine-rest/process-instance': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'list' },
  'GET /engine-rest/process-instance/count': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'POST /engine-rest/process-instance/count': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'DELETE /engine-rest/process-instance/:id': { roles: SUP_OWNER, scope: 'instance' },
  // answers 501 NOT_SUPPORTED to the roles named
  'PUT /engine-rest/process-instance/:id/suspended': { roles: SUP_OWNER, scope: 'none' },
  'POST /engine-rest/process-instance/:id/variables': { roles: SUP_OWNER, scope: 'instance' },
  'PUT /engine-rest/process-instance/:id/variables/:varName': { roles: SUP_OWNER, scope: 'instance' },
  'DELETE /engine-rest/process-instance/:id/variables/:varName': { roles: SUP_OWNER, scope: 'instance' },
  'GET /engine-rest/history/process-instance': { roles: STAFF_SUP_OWNER, scope: 'list' },
  'GET /engine-rest/history/process-instance/count': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/history/process-instance/:id': { roles: STAFF_SUP_OWNER, scope: 'instance' },
  // without processInstanceId(In) these answer 400 to everyone; with it, the instance's scope applies (their own suite)
  'GET /engine-rest/history/activity-instance': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/history/activity-instance/count': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/history/task': { roles: STAFF_SUP_OWNER, scope: 'list' },
  'GET /engine-rest/history/task/count': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/history/variable-instance': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/history/variable-instance/count': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/variable-instance': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/variable-instance/count': { roles: STAFF_SUP_OWNER, scope: 'none' },
  'GET /engine-rest/incident': { roles: SUP_OWNER, scope: 'list' },
  'GET /engine-rest/incident/count': { roles: SUP_OWNER, scope: 'none' },
  'GET /engine-rest/incident/:id': { roles: SUP_OWNER, scope: 'incident' },
  'DELETE /engine-rest/incident/:id': { roles: SUP_OWNER, scope: 'incident' },
  'GET /.well-known/camunda-automation-platform/webapps': { roles: 'public', scope: 'none' },
  'GET /camunda-links/process-instance/:id': { roles: 'public', scope: 'none' },
  'GET /v2/topology': { roles: 'any', scope: 'none' },
  'POST /v2/signals/broadcast': { roles: ['worker', 'supervisor', 'owner'], scope: 'none' },
  'POST /v2/deployments': { roles: ['owner'], scope: 'none' },
  'POST /v2/process-instances': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'POST /v2/process-instances/:processInstanceKey/cancellation': { roles: ['supervisor', 'owner'], scope: 'none' },
  'GET /v2/process-instances/:processInstanceKey': { roles: ['supervisor', 'owner'], scope: 'none' },
  'POST /v2/process-instances/search': { roles: ['supervisor', 'owner'], scope: 'none' },
  'POST /v2/messages/publication': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'POST /v2/messages/correlation': { roles: ['staff', 'supervisor', 'owner', 'worker'], scope: 'none' },
  'POST /v2/jobs/activation': { roles: ['worker'], scope: 'none' },
  'POST /v2/jobs/:jobKey/completion': { roles: ['worker'], scope: 'none' },
  'POST /v2/jobs/:jobKey/failure': { roles: ['worker'], scope: 'none' },
  'POST /v2/jobs/:jobKey/error': { roles: ['worker'], scope: 'none' },
  'POST /v2/user-tasks/search': { roles: ['staff', 'supervisor', 'owner'], scope: 'none' },
  'POST /v2/user-tasks/:userTaskKey/assignment': { roles: ['staff', 'supervisor'], scope: 'none' },
  'POST /v2/user-tasks/:userTaskKey/completion': { roles: ['staff', 'supervisor'], scope: 'none' },
  // by key, as the other /v2 task routes: the scope is checked on the task (tests/api/form-versions.test.ts)
  'GET /v2/user-tasks/:userTaskKey/form': { roles: ['staff', 'supervisor', 'owner'], scope: 'none' },
  'POST /v2/incidents/search': { roles: ['supervisor', 'owner'], scope: 'none' },
  'POST /v2/incidents/:incidentKey/resolution': { roles: ['supervisor', 'owner'], scope: 'none' },
  'GET /': { roles: 'public', scope: 'none' },
  'GET /designer': { roles: 'public', scope: 'none' },
  'GET /decisions': { roles: 'public', scope: 'none' },
  'GET /emergency-plans': { roles: 'public', scope: 'none' },
  'GET /tasks': { roles: 'public', scope: 'none' },
  'GET /cases': { roles: 'public', scope: 'none' },
  'GET /cases/:businessKey': { roles: 'public', scope: 'none' },
  'GET /assets/*': { roles: 'public', scope: 'none' },
  'GET /sla': { roles: 'public', scope: 'none' },
  'GET /risks': { roles: 'public', scope: 'none' },
  'GET /performance': { roles: 'public', scope: 'none' },
  'GET /calendars': { roles: 'public', scope: 'none' },
  'GET /incidents': { roles: 'public', scope: 'none' },
  'GET /inbox': { roles: 'public', scope: 'none' },
  'GET /admin': { roles: 'public', scope: 'none' },
  'GET /login': { roles: 'public', scope: 'none' },
};

const ROLES = ['admin', 'owner', 'supervisor', 'staff', 'worker'] as const;
type Role = (typeof ROLES)[number];

// A complaints task beside a charge job, so one instance has a task, a job and (once failed) an incident.
const mixedProcess = b.definitions('Process_mixed', [
  b.start('Start_1'),
  '<bpmn:parallelGateway id="Fork" />',
  b.userTask('Task_review', { groups: 'complaints', formKey: 'review-form', ext: b.sla('PT4H') }),
  b.serviceTask('Task_charge', 'charge-card'),
  '<bpmn:parallelGateway id="Join" />',
  b.end('End_1'),
  b.flow('Start_1', 'Fork'),
  b.flow('Fork', 'Task_review'),
  b.flow('Fork', 'Task_charge'),
  b.flow('Task_review', 'Join'),
  b.flow('Task_charge', 'Join'),
  b.flow('Join', 'End_1'),
]);

describe('api/security: authorisation matrix (route × role × group)', () => {
  let t: TestApp;
  const callers = {} as Record<Role | 'supervisorOther' | 'staffOther', Caller>;
  let ids: { instance: string; task: string; incident: string; job: string };

  beforeAll(async () => {
    t = await testApp({ sla: true });
    // the task's form is deployed first, so the task's form routes have a form to serve
    await deployForm(t, 'review-form', { components: [] });
    await t.deploy(mixedProcess);
    callers.admin = await t.as({ username: 'admin', roles: ['admin'] });
    callers.owner = await t.as({ username: 'owner1', roles: ['owner'] });
    callers.supervisor = await t.as({ username: 'sup-own', roles: ['supervisor'], groups: ['complaints'] });
    callers.supervisorOther = await t.as({ username: 'sup-other', roles: ['supervisor'], groups: ['billing'] });
    callers.staff = await t.as({ username: 'staff-own', roles: ['staff'], groups: ['complaints'] });
    callers.staffOther = await t.as({ username: 'staff-other', roles: ['staff'], groups: ['billing'] });
    callers.worker = await t.as({ username: 'worker1', roles: ['worker'] });
    const instance = (
      await t.call('POST', '/api/instances', { definitionKey: 'Process_mixed', variables: { amount: 10 } })
    ).json().id;
    const task = (await t.call('GET', `/api/tasks?instanceId=${instance}`)).json().items[0].id;
    const job = (
      await callers.worker.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['charge-card'] })
    ).json().items[0].id;
    await callers.worker.call('POST', `/api/jobs/${job}/fail`, { workerId: 'w', message: 'declined', retries: 0 });
    const incident = (await t.call('GET', `/api/incidents?instanceId=${instance}`)).json().items[0].id;
    await t.engine.store.notifications.insert({
      id: 'note-1',
      kind: 'notify.staff',
      instanceId: instance,
      definitionKey: 'Process_mixed',
      elementId: 'Task_charge',
      toUser: null,
      toGroup: null,
      channel: null,
      template: 'x',
      payload: {},
      createdAt: new Date().toISOString(),
    });
    await t.engine.store.deliveries.insert({
      id: 'delivery-1',
      notificationId: 'note-1',
      instanceId: instance,
      channel: 'email',
      recipient: 'a@example.com',
      template: 'x',
      subject: 's',
      body: 'b',
      data: {},
      status: 'sent',
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
      sentAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
    });
    ids = { instance, task, incident, job };
  });
  afterAll(async () => {
    await t.close();
  });

  const routes = () =>
    t.app.routeTable
      .filter((r) => r.method !== 'HEAD')
      .map((r) => ({ key: `${r.method} ${r.url}`, method: r.method, url: r.url, auth: r.auth }));

  const urlOf = (url: string, scope: Scope) =>
    url
      .replace(
        ':id',
        scope === 'incident'
          ? ids.incident
          : scope === 'task' || scope === 'hidden-task'
            ? ids.task
            : scope === 'locked-job'
              ? ids.job
              : url.includes('definitions')
                ? 'Process_mixed:1'
                : url.includes('calendars')
                  ? 'default'
                  : ids.instance,
      )
      .replace(':key', 'Process_mixed')
      .replace(':varName', 'amount')
      .replace(':username', 'staff-own')
      .replace(':formKey', 'nope')
      .replace('*', 'x');

  const send = (caller: Caller | null, method: string, url: string) =>
    t.app.inject({
      method: method as InjectOptions['method'],
      url,
      headers: {
        ...(caller?.headers ?? {}),
        ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
      },
      ...(method === 'GET' || method === 'DELETE'
        ? {}
        : { payload: /\/(claim|assignee|delegate)$/.test(url) ? '{"userId":"staff-other"}' : '{}' }),
    });

  it('has a rule for every route, and every rule is a route whose declared roles it states', () => {
    const table = routes();
    expect(
      table.filter((r) => !RULES[r.key]).map((r) => r.key),
      'routes without a row in the matrix',
    ).toEqual([]);
    expect(
      Object.keys(RULES).filter((k) => !table.some((r) => r.key === k)),
      'rows without a route',
    ).toEqual([]);
    for (const route of table)
      expect(route.auth === 'public' ? 'public' : route.auth?.roles, route.key).toEqual(RULES[route.key].roles);
  });

  it('answers 401 to anonymous callers and 403 to every role a route does not name', async () => {
    for (const route of routes()) {
      const rule = RULES[route.key];
      if (!rule || rule.roles === 'public') continue;
      const url = urlOf(route.url, rule.scope);
      expect((await send(null, route.method, url)).statusCode, `${route.key} anonymous`).toBe(401);
      if (rule.roles === 'any') continue;
      for (const role of ROLES) {
        if (role === 'admin' || rule.roles.includes(role)) continue;
        expect((await send(callers[role], route.method, url)).statusCode, `${route.key} as ${role}`).toBe(403);
      }
    }
  });

  it('lets every named role read the routes whose answer does not depend on groups', async () => {
    for (const route of routes().filter(
      (r) => r.method === 'GET' && RULES[r.key]?.scope === 'none' && RULES[r.key].roles !== 'public',
    )) {
      const rule = RULES[route.key];
      for (const role of ROLES) {
        if (rule.roles !== 'any' && role !== 'admin' && !rule.roles.includes(role)) continue;
        expect([401, 403], `${route.key} as ${role}`).not.toContain(
          (await send(callers[role], route.method, urlOf(route.url, rule.scope))).statusCode,
        );
      }
    }
  });

  it("refuses the other group's supervisor and staff every scoped item route, and serves the own group's", async () => {
    for (const route of routes().filter((r) =>
      ['task', 'hidden-task', 'instance', 'incident'].includes(RULES[r.key]?.scope),
    )) {
      const rule = RULES[route.key];
      const url = urlOf(route.url, rule.scope);
      for (const [name, caller] of [
        ['supervisorOther', callers.supervisorOther],
        ['staffOther', callers.staffOther],
      ] as const) {
        if (rule.roles !== 'any' && !rule.roles.includes(name === 'supervisorOther' ? 'supervisor' : 'staff')) continue;
        expect((await send(caller, route.method, url)).statusCode, `${route.key} as ${name}`).toBe(
          rule.scope === 'hidden-task' ? 404 : 403,
        );
      }
      if (route.method === 'GET')
        expect((await send(callers.supervisor, route.method, url)).statusCode, `${route.key} as own supervisor`).toBe(
          200,
        );
    }
  });

  it("lists the own group's resources to its supervisor and none of them to the other group", async () => {
    const ownIds = [ids.instance, ids.task, ids.incident, ids.job, 'note-1'];
    for (const route of routes().filter((r) => RULES[r.key]?.scope === 'list')) {
      const rule = RULES[route.key];
      const other = await send(
        rule.roles === 'any' || rule.roles.includes('supervisor') ? callers.supervisorOther : callers.staffOther,
        route.method,
        route.url,
      );
      expect(other.statusCode, route.key).toBe(200);
      for (const id of ownIds) expect(other.body, `${route.key} shows ${id} to another group`).not.toContain(id);
      if (rule.roles === 'any' || rule.roles.includes('supervisor')) {
        const own = await send(callers.supervisor, route.method, route.url);
        expect(own.statusCode, route.key).toBe(200);
        expect(own.body, `${route.key} hides the group's own resources from its supervisor`).toContain(ids.instance);
      }
    }
  });
});
