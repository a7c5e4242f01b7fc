/**
 * Shows the server's FORM_INVALID field problems on the fields they belong to (form-js keeps errors
 * by field id; the server names fields by key). Problems of fields the form does not show are returned.
 */
import type { Form } from '@bpmn-io/form-js';
import { getLanguage } from '../i18n';
import { zhFieldMessage } from './field-messages';

export interface FieldProblem {
  name: string;
  message: string;
}

interface FieldRegistry {
  getAll(): Array<{ id: string; key?: string }>;
}

/** Puts each problem under its field; answers the problems no shown field takes. */
export function showFieldProblems(form: Form, problems: FieldProblem[]): FieldProblem[] {
  const fields = (form.get('formFieldRegistry') as FieldRegistry).getAll();
  const errors: Record<string, string[]> = {};
  const unplaced: FieldProblem[] = [];
  for (const problem of problems) {
    const field = fields.find((f) => f.key === problem.name);
    if (field) errors[field.id] = [...(errors[field.id] ?? []), problem.message];
    else unplaced.push(problem);
  }
  form._setState({ errors });
  return unplaced;
}

/** The field problems of a FORM_INVALID answer body, else none; their messages in the reader's language. */
export function fieldProblemsOf(body: Record<string, unknown>): FieldProblem[] {
  return Array.isArray(body.fields)
    ? (body.fields as FieldProblem[]).map((problem) => ({ ...problem, message: fieldMessage(problem.message) }))
    : [];
}

/** A server field message in the reader's language. */
export function fieldMessage(message: string): string {
  return getLanguage() === 'zh' ? zhFieldMessage(message) : message;
}
