/**
 * The allowed arrows of docs/ARCHITECTURE.md's layer table, checked by dependency-cruiser over every import
 * form (static, dynamic, `import type`, `export … from`, `require` through createRequire) resolved the way
 * TypeScript resolves them. `tests/architecture.test.ts` runs it in `npm test`; `npm run lint:arch` prints
 * the same report. Paths are relative to the folder cruised from, so the fixtures under
 * tests/architecture/fixtures/ (one violation per rule) are judged by the very same rules.
 */
const OURS = '^(engine|migrations|designer|processes|bench|bin)/';
const PURE = '^engine/(bpmn|compile|expr|dmn)/';

/** A layer may import itself and the layers listed, and nothing else of ours. */
function layer(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { path: OURS, pathNot: allowed },
  };
}

module.exports = {
  forbidden: [
    layer(
      'bpmn-imports-nothing-of-ours',
      '^engine/bpmn/',
      '^engine/bpmn/',
      'engine/bpmn reads BPMN XML into the ProcessModel and imports none of our code',
    ),
    layer(
      'expr-imports-nothing-of-ours',
      '^engine/expr/',
      '^engine/expr/',
      'engine/expr (FEEL, durations, dates) imports none of our code',
    ),
    layer(
      'dmn-imports-expr',
      '^engine/dmn/',
      '^engine/(dmn|expr)/',
      'engine/dmn (DMN decisions) evaluates FEEL through expr and imports nothing else of ours',
    ),
    layer(
      'compile-imports-bpmn-and-expr',
      '^engine/compile/',
      '^engine/(compile|bpmn|expr|dmn)/',
      'engine/compile reads bpmn, expr and dmn only',
    ),
    layer(
      'store-imports-nothing-of-ours',
      '^engine/store/',
      '^engine/store/',
      'engine/store imports no migration and no runtime: the caller passes the migrations in',
    ),
    layer(
      'runtime-imports-compile-expr-store-bpmn',
      '^engine/runtime/',
      '^engine/(runtime|compile|expr|store|bpmn|dmn)/',
      'engine/runtime builds on compile, expr, store, bpmn and dmn, never on api or cli',
    ),
    {
      name: 'runtime-step-knows-no-concern',
      comment:
        'engine/runtime/step (step loop, effects, jobs, scheduler) knows no SLA, calendar, identity, form or insight code: they attach to it',
      severity: 'error',
      from: { path: '^engine/runtime/step/' },
      to: { path: '^engine/runtime/(sla|calendar|identity|forms|insight)/' },
    },
    {
      name: 'runtime-identity-stands-alone',
      comment: 'engine/runtime/identity (users, groups, tokens, passwords, access) uses only the clock, ids and errors',
      severity: 'error',
      from: { path: '^engine/runtime/identity/' },
      to: { path: '^engine/runtime/', pathNot: '^engine/runtime/(identity/|clock\\.ts$|ids\\.ts$|errors\\.ts$)' },
    },
    {
      name: 'runtime-calendar-is-below-sla-and-step',
      comment:
        'engine/runtime/calendar (business time) runs on its own: beyond the clock and the calendar errors it reads other runtime code for types only',
      severity: 'error',
      from: { path: '^engine/runtime/calendar/' },
      to: {
        path: '^engine/runtime/',
        pathNot: '^engine/runtime/(calendar/|sla/sla-errors\\.ts$|clock\\.ts$|errors\\.ts$)',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'runtime-sla-reads-step-types-only',
      comment:
        'engine/runtime/sla attaches to the step through its hooks: it reads the step and the engine for types only',
      severity: 'error',
      from: { path: '^engine/runtime/sla/' },
      to: { path: '^engine/runtime/(step/|engine\\.ts$)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'api-uses-the-runtime',
      comment:
        'engine/api translates HTTP into runtime calls; it reads the lower layers for their types only (server.ts, the composition root, opens the store)',
      severity: 'error',
      from: { path: '^engine/api/', pathNot: '^engine/api/server\\.ts$' },
      to: { path: '^(engine/(bpmn|compile|expr|dmn|store)|migrations)/', dependencyTypesNot: ['type-only'] },
    },
    layer(
      'api-imports-no-cli-or-tools',
      '^engine/api/',
      '^(engine/(api|runtime|bpmn|compile|expr|dmn|store)|migrations)/',
      'engine/api never reaches for the CLI, the web app, the benchmarks or tools',
    ),
    layer(
      'cli-imports-the-engine',
      '^engine/cli/',
      '^(engine|migrations)/',
      'engine/cli composes the engine and the migrations',
    ),
    layer(
      'migrations-import-seed-data-only',
      '^migrations/',
      '^(migrations/|engine/runtime/calendar/calendar-seeds\\.ts$)',
      'a migration imports other migrations and the calendar seed data only',
    ),
    {
      name: 'designer-talks-http-only',
      comment:
        'the web app talks to the engine over the HTTP API; it shares data files (the svc moddle descriptor) but no engine code',
      severity: 'error',
      from: { path: '^designer/' },
      to: { path: '^(engine|migrations|processes|bench|bin)/', pathNot: '\\.json$' },
    },
    layer(
      'processes-tools-read-the-engine',
      '^processes/',
      '^(processes|engine)/',
      "the reference models' tools use the engine, nothing else of ours",
    ),
    {
      name: 'pure-layers-use-no-node-io',
      comment: 'bpmn, compile, expr and dmn are pure: no Node built-in (file system, network, crypto, timers, process)',
      severity: 'error',
      from: { path: PURE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-layers-use-no-database-or-server',
      comment: 'bpmn, compile, expr and dmn reach no database driver, query builder, server or logger',
      severity: 'error',
      from: { path: PURE },
      to: { path: '(^|/)node_modules/(pg|pg-[^/]+|better-sqlite3|sqlite3|knex|fastify|@fastify/[^/]+|pino|undici)/' },
    },
    {
      name: 'no-package-internals',
      comment: 'packages are used through their public entry points: no knex internals, no chinese-days data files',
      severity: 'error',
      from: { path: OURS },
      to: { path: '(^|/)node_modules/(knex/lib/|chinese-days/(?!dist/index\\.))' },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'every import resolves (a subpath a package does not export does not)',
      severity: 'error',
      from: { path: OURS },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|designer/dist|data|tests/architecture/fixtures)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    detectProcessBuiltinModuleCalls: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
