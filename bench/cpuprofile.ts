/**
 * Summarises a V8 .cpuprofile: self and inclusive time by package or engine folder (knex,
 * better-sqlite3, xstate, feelin, engine/runtime, node internals, GC…) and by function.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/run.ts throughput --no-report
 *   npx tsx bench/cpuprofile.ts /tmp/prof/CPU.*.cpuprofile [--top=25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface Row {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  total: number;
  /** Self time: where the samples landed. */
  functions: Row[];
  groups: Row[];
  /** Inclusive time: samples with the group, or our own function, anywhere on the stack. */
  groupsInclusive: Row[];
  ownInclusive: Row[];
}

/** Self and inclusive time per function and per group, in milliseconds, largest first. */
export function summariseProfile(profile: Profile): ProfileSummary {
  const selfMs = selfTimes(profile);
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = parentsOf(profile.nodes);
  const maps = {
    functions: new Map<string, number>(),
    groups: new Map<string, number>(),
    groupsInclusive: new Map<string, number>(),
    ownInclusive: new Map<string, number>(),
  };
  for (const [id, ms] of selfMs) {
    const frame = byNode.get(id)!.callFrame;
    add(maps.functions, nameOf(frame), ms);
    add(maps.groups, groupOf(frame), ms);
    const stack = stackOf(id, parents).map((n) => byNode.get(n)!.callFrame);
    for (const group of new Set(stack.map(groupOf))) add(maps.groupsInclusive, group, ms);
    for (const own of new Set(stack.filter(isOwn).map(nameOf))) add(maps.ownInclusive, own, ms);
  }
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
  const rank = (map: Map<string, number>) => ranked(map, total);
  return {
    total,
    functions: rank(maps.functions),
    groups: rank(maps.groups),
    groupsInclusive: rank(maps.groupsInclusive),
    ownInclusive: rank(maps.ownInclusive),
  };
}

// helpers

function selfTimes(profile: Profile): Map<number, number> {
  const times = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) add(times, id, (profile.timeDeltas[i] ?? 0) / 1000);
  return times;
}

function parentsOf(nodes: ProfileNode[]): Map<number, number> {
  const parents = new Map<number, number>();
  for (const node of nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  return parents;
}

function stackOf(id: number, parents: Map<number, number>): number[] {
  const stack: number[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) stack.push(at);
  return stack;
}

const nameOf = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'}  ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
const isOwn = (frame: ProfileNode['callFrame']) => /\/engine\//.test(frame.url) && !frame.url.includes('node_modules');

function groupOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/(engine\/[^/]+|bench)\//.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return shortUrl(url);
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/(engine|bench)\//, '$1/');
}

function ranked(map: Map<string, number>, total: number): Row[] {
  return [...map].map(([name, ms]) => ({ name, ms, share: ms / total })).sort((a, b) => b.ms - a.ms);
}

function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function print(title: string, rows: Row[], top: number): void {
  console.log(`\n${title}`);
  for (const row of rows.slice(0, top))
    console.log(`${row.ms.toFixed(0).padStart(7)} ms  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`);
}

if (process.argv[1]?.endsWith('cpuprofile.ts')) {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const top = Number(/--top=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 25);
  for (const file of files) {
    const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile);
    console.log(`${file}: ${summary.total.toFixed(0)} ms sampled`);
    print('self time by package / folder', summary.groups, top);
    print('inclusive time by package / folder (on the stack)', summary.groupsInclusive, top);
    print('inclusive time by engine function', summary.ownInclusive, top);
    print('self time by function', summary.functions, top);
  }
}
