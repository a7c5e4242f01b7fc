/** Who may start a process: Camunda 7's candidate starter attributes, or `<svc:candidateStarters groups users />`. */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionOf } from './moddle/access.js';
import type { StarterDeclaration } from './model.js';

/** The declared starters of a process (both notations merged); null when it names none. */
export function readStarters(process: ModdleElement): StarterDeclaration | null {
  const svc = extensionOf(process, 'svc:CandidateStarters');
  const groups = [...list(attr(process, 'camunda:candidateStarterGroups')), ...list(attr(svc, 'groups'))];
  const users = [...list(attr(process, 'camunda:candidateStarterUsers')), ...list(attr(svc, 'users'))];
  if (groups.length === 0 && users.length === 0) return null;
  return { groups: [...new Set(groups)], users: [...new Set(users)] };
}

// helpers

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
