/**
 * Every alarm of a stage with what it watches and its threshold, read from the synthesized Operations template:
 *   npx tsx bench/alarms.ts                                   (synthesizes the dev app in process, no bundling)
 *   npx tsx bench/alarms.ts --stage prod
 *   npx tsx bench/alarms.ts --template cdk.out/CityDesk-prod-Operations.template.json   (after `npx cdk synth`)
 * One line per alarm: name, comparison and threshold, evaluation (periods x seconds), what it measures.
 */
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { buildTestApp, withSubscribersIn } from '../test/infra/support/app';

interface AlarmProps {
  AlarmName?: unknown;
  ComparisonOperator: string;
  Threshold: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Period?: number;
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  TreatMissingData?: string;
  Metrics?: Array<{ Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: { Metric: { MetricName: string; Namespace: string }; Period: number; Stat: string } }>;
}

const COMPARISON: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside',
};

/** A name that may be a CloudFormation join: the literal parts, with references as `*`. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'Fn::Join' in v) return (v as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map(text).join('');
  return '*';
}

export function alarmLines(resources: Record<string, { Type: string; Properties: AlarmProps }>): string[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(({ Properties: p }) => {
      const watched = p.Metrics
        ? (p.Metrics.find((m) => m.ReturnData !== false)?.Expression ?? p.Metrics.map((m) => m.MetricStat?.Metric.MetricName).filter(Boolean).join(', '))
        : `${p.Namespace}/${p.MetricName} ${p.ExtendedStatistic ?? p.Statistic ?? ''}`;
      const period = p.Period ?? p.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period ?? 0;
      const over = `${p.DatapointsToAlarm ?? p.EvaluationPeriods} of ${p.EvaluationPeriods} x ${period}s`;
      return `${text(p.AlarmName)}\t${COMPARISON[p.ComparisonOperator] ?? p.ComparisonOperator} ${p.Threshold}\t${over}${p.TreatMissingData ? ` missing=${p.TreatMissingData}` : ''}\t${watched}`;
    })
    .sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const file = arg('--template');
  const stage = arg('--stage') ?? 'dev';
  const resources = file
    ? (JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: AlarmProps }> }).Resources
    : (Template.fromStack(buildTestApp({ stage, sources: withSubscribersIn(stage) }).desk.operations).toJSON().Resources as Record<string, { Type: string; Properties: AlarmProps }>);
  const lines = alarmLines(resources);
  console.log(lines.join('\n'));
  console.log(`${lines.length} alarms`);
}
