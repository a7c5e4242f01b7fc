/** The part of camunda-external-task-client-js (which ships no types) the compatibility tests drive. */
declare module 'camunda-external-task-client-js' {
  import { EventEmitter } from 'node:events';

  export interface TypedValue {
    value: unknown;
    type: string;
    valueInfo?: Record<string, unknown>;
  }
  export class Variables {
    constructor(initial?: Record<string, TypedValue>);
    get(name: string): unknown;
    getTyped(name: string): TypedValue;
    getAll(): Record<string, unknown>;
    set(name: string, value: unknown): Variables;
    setTyped(name: string, typed: TypedValue): Variables;
  }
  export interface Task {
    id: string;
    topicName: string;
    workerId: string;
    processInstanceId: string;
    processDefinitionId: string | null;
    processDefinitionKey: string;
    activityId: string;
    activityInstanceId: string | null;
    businessKey: string | null;
    retries: number | null;
    errorMessage: string | null;
    priority: number;
    lockExpirationTime: string | null;
    extensionProperties?: Record<string, string>;
    variables: Variables;
  }
  export interface TaskService {
    complete(task: Task, variables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(
      task: Task,
      options: { errorMessage?: string; errorDetails?: string; retries?: number; retryTimeout?: number },
    ): Promise<void>;
    handleBpmnError(task: Task, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task, newDuration: number): Promise<void>;
    lock(task: Task, duration: number): Promise<void>;
    unlock(task: Task): Promise<void>;
  }
  export type Handler = (args: { task: Task; taskService: TaskService }) => void | Promise<void>;
  export interface SubscribeOptions {
    lockDuration?: number;
    variables?: string[];
    businessKey?: string;
    processDefinitionKey?: string;
    processDefinitionKeyIn?: string[];
    processDefinitionId?: string;
    processVariables?: Record<string, unknown>;
    tenantIdIn?: string[];
    withoutTenantId?: boolean;
    localVariables?: boolean;
    includeExtensionProperties?: boolean;
    processDefinitionVersionTag?: string;
  }
  export interface ClientOptions {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    interceptors?: unknown;
    use?: unknown;
    usePriority?: boolean;
  }
  export class Client extends EventEmitter {
    constructor(options: ClientOptions);
    start(): void;
    stop(): void;
    subscribe(topic: string, handler: Handler): { unsubscribe(): void };
    subscribe(topic: string, options: SubscribeOptions, handler: Handler): { unsubscribe(): void };
  }
  export class BasicAuthInterceptor {
    constructor(options: { username: string; password: string });
  }
}
