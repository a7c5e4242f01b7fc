/** Deploying from the designer: the checker first, then POST /api/definitions; engine problems go onto the diagram. */
import type BpmnModeler from 'bpmn-js/lib/Modeler';
import { api, ApiProblem } from '../app/api';
import { t } from '../i18n';
import { confirmDialog } from '../shared/dialog';
import { toast, toastError } from '../shared/toast';
import type EngineProblems from './engine-problems/EngineProblems';
import type { LintResults } from './lint/lint-types';
import { fromLint, type ListedProblem, type ProblemsList } from './problems-list';

interface Deployed {
  definitions: Array<{ id: string; key: string; version: number; name: string | null; created: boolean }>;
}

/** Runs the checker and lists its findings; resolves with them. */
export async function check(modeler: BpmnModeler, list: ProblemsList): Promise<ListedProblem[]> {
  const linting = modeler.get<{ lint(): Promise<LintResults>; toggle(active: boolean): void }>('linting');
  const problems = fromLint(await linting.lint());
  linting.toggle(true);
  list.setLint(problems);
  return problems;
}

/** Checks, asks before deploying a model with checker errors, deploys, and shows the outcome. */
export async function deploy(modeler: BpmnModeler, list: ProblemsList): Promise<Deployed | null> {
  const lintProblems = await check(modeler, list);
  const errors = lintProblems.filter((p) => p.severity === 'error').length;
  if (
    errors > 0 &&
    !(await confirmDialog(
      t('designer.deploy'),
      t('designer.lintErrorsConfirm', { n: errors }),
      t('designer.deployAnyway'),
    ))
  )
    return null;
  const engineProblems = modeler.get<EngineProblems>('engineProblems');
  const { xml } = await modeler.saveXML({ format: true });
  try {
    const deployed = await api<Deployed>('POST', '/api/definitions', { body: xml, contentType: 'application/xml' });
    engineProblems.clear();
    list.setEngine([]);
    announce(deployed);
    return deployed;
  } catch (error) {
    if (!(error instanceof ApiProblem) || error.problems.length === 0) {
      toastError(error);
      return null;
    }
    engineProblems.show(error.problems);
    const fromEngine: ListedProblem[] = error.problems.map((p) => ({
      source: 'engine',
      severity: 'error',
      elementId: p.elementId,
      message: p.message,
      code: p.code,
    }));
    list.setEngine(fromEngine);
    toast(t('designer.deployRejected', { n: error.problems.length }), 'error');
    return null;
  }
}

// helpers

function announce(deployed: Deployed): void {
  for (const definition of deployed.definitions) {
    const key = definition.created ? 'designer.deployed' : 'designer.deployedUnchanged';
    toast(t(key, { key: definition.key, version: definition.version }), 'success');
  }
}
