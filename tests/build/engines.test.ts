/** The Node versions package.json promises are ones every locked dependency runs on, and README says the same. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('build/engines', () => {
  it('every locked package supports every Node version package.json promises', () => {
    const supported = manifest.engines.node;
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return node && !semver.subset(supported, node) ? [`${path}@${entry.version}: node ${node}`] : [];
      });
    expect(refusing).toEqual([]);
  });

  it("README's Node line names the oldest supported Node", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const oldest = semver.minVersion(manifest.engines.node)?.version.replace(/\.0$/, '');
    expect(readme).toContain(`Node.js ${oldest}`);
  });
});
