import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { buildTestApp, sharedTestApp } from './support/app';

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
}

/**
 * cdk-nag 3 is a policy validation plugin: findings fail `synth()` and land in the assembly's validation report.
 * The worker's shared app: its one synth is the one every other template test of the worker reads.
 */
function synthReport(stage: 'dev' | 'prod'): { report: ValidationReport } {
  const assembly = sharedTestApp(stage).app.synth();
  const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { report };
}

function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
  );
}

describe('cdk-nag AwsSolutions', () => {
  // A full synth with cdk-nag over every stack (the alarms stack included): about 2 s, the worker's first synth (which
  // starts CDK's validation engine) 5 to 20 s on a busy 2-core machine.
  it.each([['dev'], ['prod']] as const)('the %s app synthesizes with no unacknowledged finding', { timeout: 180_000 }, (stage) => {
    const { report } = synthReport(stage);
    const findings = report.pluginReports.flatMap((r) =>
      r.violations.map((v) => `${r.pluginName} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
    );
    expect(findings).toEqual([]);
  });

  it('an unacknowledged finding fails the synth, naming the rule', () => {
    const { app } = buildTestApp();
    new Topic(new Stack(app, 'Careless'), 'PlainTopic');
    expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
  });

  it('every acknowledgement names its rule and gives a reason', () => {
    const { app } = sharedTestApp();
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(40);
    }
  });
});
