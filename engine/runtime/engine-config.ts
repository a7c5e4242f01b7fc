/**
 * An installation's configuration: what the engine must know about the processes it runs but does not
 * decide itself (the people of identity/identity-config.ts, …). The engine core keeps neutral defaults;
 * the server reads a configuration file at start-up (engine/runtime/config-file.ts) and passes it in.
 */
import { IANAZone } from 'luxon';
import { checkIdentity, NEUTRAL_IDENTITY, type IdentityConfig } from './identity/identity-config.js';

export interface EngineConfig {
  identity: IdentityConfig;
  /**
   * The IANA zone the installation's days are counted in: dates of generated business keys
   * (PREFIX-yyyyMMdd-nnnn), invoice numbers and proposed appointment slots of the built-in handlers.
   */
  zone: string;
  builtinHandlers: BuiltinHandlerConfig;
  caseFields: CaseFieldConfig;
  caseSearch: CaseSearchConfig;
}

/**
 * The variables a case is found by: case search indexes the values of `customer`, `email` and `text` as
 * words and of `phone` as digits (a case list shows the `customer` values joined, in order, and the first
 * `text` field as its description); duplicate detection compares `duplicates.textField` among cases sharing
 * a value of one of `duplicates.customerFields`. Empty (no configuration): nothing indexed, no duplicates.
 */
export interface CaseSearchConfig {
  customer: readonly string[];
  phone: readonly string[];
  email: readonly string[];
  text: readonly string[];
  duplicates: { customerFields: readonly string[]; textField: string | null };
}

/**
 * What the engine reads from a case's variables by name, each given as the variable the installation's
 * processes keep it in (null: the engine reads none, and the fact stays empty):
 * - `priority`: what an SLA clock and the case's KPI fact report the priority as;
 * - the KPI case fact (insight/case-fact.ts): `channel`, `category`, `touchPoint` (text); `satisfaction`,
 *   `nps`, `reopenCount`, `transferCount`, `visitCount` (numbers); `survey` (a text set once a survey is sent);
 *   `firstContactResolution` (a boolean); `arrivedAt`, `appointmentStart` (instants of a field
 *   visit, for on time); `cost` (a number each completed task reports, summed per case).
 */
export const CASE_FIELD_NAMES = [
  'priority',
  'channel',
  'category',
  'touchPoint',
  'satisfaction',
  'nps',
  'survey',
  'firstContactResolution',
  'reopenCount',
  'transferCount',
  'visitCount',
  'arrivedAt',
  'appointmentStart',
  'cost',
] as const;

export type CaseField = (typeof CASE_FIELD_NAMES)[number];

/** The process variables the engine reads by name, as the installation's processes call them. */
export type CaseFieldConfig = Readonly<Record<CaseField, string | null>>;

const NO_CASE_FIELDS = Object.fromEntries(CASE_FIELD_NAMES.map((name) => [name, null])) as Record<
  CaseField,
  string | null
>;

/** What the built-in job handlers (step/builtin-handlers.ts) need to know of the installation. */
export interface BuiltinHandlerConfig {
  /** The group whose staff `schedule.propose` proposes as the engineer of a visit; null: it proposes nobody. */
  engineerGroup: string | null;
}

/** What an engine built without a configuration knows: nothing about any installation, and days in UTC. */
export const NEUTRAL_CONFIG: EngineConfig = {
  identity: NEUTRAL_IDENTITY,
  zone: 'UTC',
  builtinHandlers: { engineerGroup: null },
  caseFields: NO_CASE_FIELDS,
  caseSearch: { customer: [], phone: [], email: [], text: [], duplicates: { customerFields: [], textField: null } },
};

/** A configuration that cannot be used: names the source, the field (a path like `identity.groups[3].id`) and why. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly source: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${source}: ${field}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a configuration document (parsed JSON) into an EngineConfig, or throws a ConfigError naming the first
 * wrong field. Unknown fields are refused too: a misspelt one would otherwise be ignored without a word.
 */
export function readEngineConfig(raw: unknown, source: string): EngineConfig {
  const root = new Reader(source);
  const doc = root.object(
    raw,
    '',
    ['identity', 'zone', 'builtinHandlers', 'caseFields', 'caseSearch'],
    ['caseFields', 'caseSearch'],
  );
  const identity = readIdentity(root, doc.identity, 'identity');
  const problem = checkIdentity(identity)[0];
  if (problem) throw new ConfigError(source, `identity.${problem.field}`, problem.message);
  const zone = root.text(doc.zone, 'zone');
  if (!IANAZone.isValidZone(zone)) throw new ConfigError(source, 'zone', `'${zone}' is not an IANA time zone`);
  const handlers = root.object(doc.builtinHandlers, 'builtinHandlers', ['engineerGroup']);
  const engineerGroup =
    handlers.engineerGroup === null ? null : root.text(handlers.engineerGroup, 'builtinHandlers.engineerGroup');
  if (engineerGroup !== null && !identity.groups.some((g) => g.id === engineerGroup))
    throw new ConfigError(source, 'builtinHandlers.engineerGroup', `'${engineerGroup}' is not one of identity.groups`);
  return {
    identity,
    zone,
    builtinHandlers: { engineerGroup },
    caseFields: readCaseFields(root, doc.caseFields),
    caseSearch: readCaseSearch(root, doc.caseSearch),
  };
}

// helpers

/**
 * `caseFields` and each of its fields may be left out (the engine then reads no variable for it); a field
 * given must name a variable or be null.
 */
function readCaseFields(r: Reader, raw: unknown): CaseFieldConfig {
  if (raw === undefined) return NEUTRAL_CONFIG.caseFields;
  const doc = r.object(raw, 'caseFields', CASE_FIELD_NAMES, CASE_FIELD_NAMES);
  const fields = { ...NO_CASE_FIELDS };
  for (const name of CASE_FIELD_NAMES) {
    const value = doc[name];
    if (value !== undefined && value !== null) fields[name] = r.text(value, `caseFields.${name}`);
  }
  return fields;
}

/** `caseSearch` and each of its lists may be left out (empty); `duplicates.textField` may be null. */
function readCaseSearch(r: Reader, raw: unknown): CaseSearchConfig {
  if (raw === undefined) return NEUTRAL_CONFIG.caseSearch;
  const roles = ['customer', 'phone', 'email', 'text'] as const;
  const doc = r.object(raw, 'caseSearch', [...roles, 'duplicates'], [...roles, 'duplicates']);
  const list = (name: string) => (doc[name] === undefined ? [] : r.texts(doc[name], `caseSearch.${name}`));
  const dup =
    doc.duplicates === undefined
      ? {}
      : r.object(
          doc.duplicates,
          'caseSearch.duplicates',
          ['customerFields', 'textField'],
          ['customerFields', 'textField'],
        );
  return {
    customer: list('customer'),
    phone: list('phone'),
    email: list('email'),
    text: list('text'),
    duplicates: {
      customerFields:
        dup.customerFields === undefined ? [] : r.texts(dup.customerFields, 'caseSearch.duplicates.customerFields'),
      textField:
        dup.textField === undefined || dup.textField === null
          ? null
          : r.text(dup.textField, 'caseSearch.duplicates.textField'),
    },
  };
}

function readIdentity(r: Reader, raw: unknown, at: string): IdentityConfig {
  const doc = r.object(raw, at, ['groups', 'demoUsers', 'allSeeingGroups']);
  return {
    groups: r.list(doc.groups, `${at}.groups`, (g, field) => {
      const group = r.object(g, field, ['id', 'name']);
      return { id: r.text(group.id, `${field}.id`), name: r.text(group.name, `${field}.name`) };
    }),
    demoUsers: r.list(doc.demoUsers, `${at}.demoUsers`, (u, field) => {
      const user = r.object(u, field, ['username', 'displayName', 'roles', 'groups']);
      return {
        username: r.text(user.username, `${field}.username`),
        displayName: r.text(user.displayName, `${field}.displayName`),
        roles: r.texts(user.roles, `${field}.roles`),
        groups: r.texts(user.groups, `${field}.groups`),
      };
    }),
    allSeeingGroups: r.texts(doc.allSeeingGroups, `${at}.allSeeingGroups`),
  };
}

/** Shape checks that throw a ConfigError naming the field. */
class Reader {
  constructor(private readonly source: string) {}

  /** An object with only `keys` (besides `$comment`), each present unless it is one of `optional`. */
  object(
    raw: unknown,
    field: string,
    keys: readonly string[],
    optional: readonly string[] = [],
  ): Record<string, unknown> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw this.error(field || '(document)', 'must be an object');
    const doc = raw as Record<string, unknown>;
    const unknown = Object.keys(doc).find((k) => !keys.includes(k) && k !== '$comment');
    if (unknown !== undefined)
      throw this.error(join(field, unknown), `is not a known field (known: ${keys.join(', ')})`);
    const missing = keys.find((k) => doc[k] === undefined && !optional.includes(k));
    if (missing !== undefined) throw this.error(join(field, missing), 'is missing');
    return doc;
  }

  list<T>(raw: unknown, field: string, item: (value: unknown, field: string) => T): T[] {
    if (!Array.isArray(raw)) throw this.error(field, 'must be a list');
    return raw.map((value, i) => item(value, `${field}[${i}]`));
  }

  text(raw: unknown, field: string): string {
    if (typeof raw !== 'string' || raw.trim() === '') throw this.error(field, 'must be a non-empty string');
    return raw;
  }

  texts(raw: unknown, field: string): string[] {
    return this.list(raw, field, (value, at) => this.text(value, at));
  }

  private error(field: string, reason: string): ConfigError {
    return new ConfigError(this.source, field, reason);
  }
}

function join(field: string, key: string): string {
  return field ? `${field}.${key}` : key;
}
