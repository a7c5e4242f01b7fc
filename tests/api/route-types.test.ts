/**
 * Route handlers read their requests as their JSON schemas validate them: every route plugin is a `RoutePlugin`
 * (request types derived from the schemas by json-schema-to-ts), and no route states its request type by hand,
 * where it could drift from what the schema lets through. The type check proves the derivation; this keeps the
 * hand-written form from coming back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FromSchema } from 'json-schema-to-ts';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { pathParam, strictObject } from '../../engine/api/schemas.js';

const ROOT = join(import.meta.dirname, '..', '..');
const API = join(ROOT, 'engine', 'api');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('api/route types', () => {
  it('no route states its request type beside its schema', () => {
    const handWritten = sources(API).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /\bapp\.(get|post|put|patch|delete|route)</.test(line) ? [`${relative(ROOT, file)}:${i + 1}`] : [],
        ),
    );
    expect(handWritten).toEqual([]);
  });

  it('derives required, optional and literal types from the shared schema helpers', () => {
    const body = strictObject(
      { name: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] }, count: { type: 'integer' } },
      ['name'],
    );
    expectTypeOf<FromSchema<typeof body>>().toEqualTypeOf<{ name: string; kind?: 'a' | 'b'; count?: number }>();
    expectTypeOf<FromSchema<ReturnType<typeof pathParam<'key'>>>>().toEqualTypeOf<{ key: string }>();
    expect(body.required).toEqual(['name']);
    expect(pathParam('key').required).toEqual(['key']);
  });
});
