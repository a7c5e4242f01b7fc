import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs the real `svcflow` binary, as a user would. */
function svcflow(...args: string[]) {
  const result = spawnSync('node', ['bin/svcflow.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cli/validate', () => {
  it('prints one line per problem and exits 1 when a file is invalid, 0 for a valid one', () => {
    const valid = 'tests/cli/fixtures/valid-review.bpmn';
    const invalid = 'tests/cli/fixtures/invalid-review.bpmn';
    const result = svcflow('validate', valid, invalid);
    expect(result.status).toBe(1);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `${valid}: valid (Process_review)`,
      expect.stringMatching(
        new RegExp(`^${invalid}: Flow_bDone \\(bpmn:SequenceFlow\\): .+ \\[FLOW_TARGET_MISSING\\]$`),
      ),
      expect.stringMatching(
        new RegExp(`^${invalid}: Gateway_route \\(bpmn:ExclusiveGateway\\): .+ \\[GATEWAY_NO_DEFAULT\\]$`),
      ),
    ]);
    expect(result.stderr).toBe('');
  });

  it('exits 0 when every file is valid', () => {
    const result = svcflow('validate', 'tests/cli/fixtures/valid-review.bpmn');
    expect(result).toMatchObject({
      status: 0,
      stdout: 'tests/cli/fixtures/valid-review.bpmn: valid (Process_review)\n',
    });
  });
});
