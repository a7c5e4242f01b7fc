/** The API's resources as the web app reads them (see the engine's OpenAPI at /docs). */

export interface Task {
  id: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  name: string | null;
  status: 'open' | 'completed' | 'cancelled';
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  priority: number;
  due: string | null;
  formKey: string | null;
  inputs: Record<string, unknown>;
  createdAt: string;
  /** The instance's business key (the API adds it to task reads and lists). */
  businessKey?: string | null;
  /** The process's name, else null. */
  definitionName?: string | null;
}

export interface Instance {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  status: 'active' | 'completed' | 'terminated' | 'incident';
  activeElements: string[];
  variables: Record<string, unknown>;
  startedAt: string;
  endedAt: string | null;
}

/** One definition version as GET /api/definitions/:id answers it. */
export interface Definition {
  id: string;
  key: string;
  version: number;
  name: string | null;
  deployedAt: string;
  startFormKey?: string | null;
  /** Element id → name, for the named elements. */
  elementNames?: Record<string, string>;
}

export interface HistoryItem {
  elementId: string | null;
  elementType: string | null;
  event: string;
  at: string;
  by: string | null;
  details: Record<string, unknown> | null;
}

/** One notification of GET /api/events. */
export interface EngineEvent {
  type: string;
  instanceId?: string;
  definitionKey?: string;
  elementId?: string;
  taskId?: string;
  at?: string;
  data?: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  total: number;
}
