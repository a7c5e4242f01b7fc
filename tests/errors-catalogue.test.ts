import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../engine/api/problem.js';
import * as runtime from '../engine/runtime/index.js';
import { InvalidCursorError, VersionConflictError } from '../engine/store/index.js';
import { ModelError } from '../engine/bpmn/index.js';

const catalogue = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

/** The codes documented in a table row: `| \`CODE\` | …`. */
const documented = new Set([...catalogue.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));

/** The string literals of a union type declared in a source file. */
function unionMembers(file: string, typeName: string): string[] {
  const source = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
  const declaration = new RegExp(`export type ${typeName} =([^;]+);`).exec(source);
  if (!declaration) throw new Error(`${typeName} not found in ${file}`);
  return [...declaration[1].matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
}

/** The code of every runtime error class, constructed with placeholder arguments (an empty list reads as text too). */
function runtimeErrorCodes(): string[] {
  type ErrorClass = new (...args: unknown[]) => runtime.EngineError;
  const exported: unknown[] = Object.values(runtime);
  return exported
    .filter(
      (value): value is ErrorClass => typeof value === 'function' && value.prototype instanceof runtime.EngineError,
    )
    .map((ErrorClass) => new ErrorClass([], 'y', 'z').code);
}

describe('errors catalogue (docs/errors.md)', () => {
  it('documents every API error code with its status', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(documented, `docs/errors.md lacks ${code}`).toContain(code);
      expect(catalogue).toMatch(new RegExp(`^\\| \`${code}\` \\| ${status} \\|`, 'm'));
    }
  });

  it('gives every runtime, store and model error a status in the API table', () => {
    const codes = [
      ...runtimeErrorCodes(),
      new VersionConflictError('i', 0).code,
      new InvalidCursorError('c').code,
      new ModelError([]).code,
    ];
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(Object.keys(ERROR_CODES), `engine/api/problem.ts lacks ${code}`).toContain(code);
  });

  it('documents every BPMN model problem code', () => {
    for (const code of unionMembers('engine/bpmn/problems.ts', 'ProblemCode'))
      expect(documented, `docs/errors.md lacks ${code}`).toContain(code);
  });

  it('documents every DMN problem code, each also a model problem code', () => {
    const model = unionMembers('engine/bpmn/problems.ts', 'ProblemCode');
    for (const code of unionMembers('engine/dmn/problems.ts', 'DmnProblemCode')) {
      expect(documented, `docs/errors.md lacks ${code}`).toContain(code);
      expect(model, `ProblemCode lacks ${code}`).toContain(code);
    }
  });

  it('documents every incident code', () => {
    const codes = unionMembers('engine/compile/effects.ts', 'IncidentCode');
    expect(codes).toContain('JOB_FAILED');
    for (const code of codes) expect(documented, `docs/errors.md lacks ${code}`).toContain(code);
  });
});
