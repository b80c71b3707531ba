import { beforeAll, describe, expect, it } from '@jest/globals';
import { type PolicyValidationPluginReport, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { TallyStack } from '../../lib/tally-stack.ts';
import { FULL_CONTEXT, synthesize } from './synth.ts';

let stack: TallyStack;
let report: PolicyValidationPluginReport;
beforeAll(() => {
  // Handshake done and notifications on: the stack at its largest (with aws-cdk-lib's notification handler).
  ({ stack } = synthesize(FULL_CONTEXT));
  report = new AwsSolutionsChecks(stack).validateScope(stack);
});

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged error', () => {
    const errors = report.violations
      .filter((v) => v.severity === 'error')
      .map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

    expect(errors).toEqual([]);
  });

  it('finds no unacknowledged warning', () => {
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('has a written reason for every acknowledgment', () => {
    const acknowledgments = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>));

    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgments) {
      expect({ id, reason: reason.trim().length >= 40 }).toEqual({ id, reason: true });
    }
  });
});
