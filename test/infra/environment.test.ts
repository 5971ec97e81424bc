/**
 * CDK sets every variable the one environment schema (functions/config/environment.ts) requires, on every function
 * of the stage (API, Open311, workflow tasks, scheduled jobs), and nothing the schema does not read; each function
 * that builds a part of the composition root needing a resource gets that resource's variable.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { ALWAYS_SET, environmentSchema, readEnvironment } from '../../functions/config/environment';
import { Stack } from 'aws-cdk-lib';
import { departmentsOf, environmentSizes } from '../../bench/lambda-environment';
import { loadConfig } from '../../functions/config/load';
import { LAMBDA_ENVIRONMENT_LIMIT } from '../../infra/environment-size';
import { sharedTestApp } from './support/app';

const { desk } = sharedTestApp();
const template = Template.fromStack(desk.stateless);
const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, fn]) => fn.Properties.Environment?.Variables?.TABLE_NAME !== undefined);
const RUNTIME_ONLY = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS'];

/** What a reference resolves to where the schema checks the shape (a JSON map, a URL). */
const RESOLVED_SHAPES: Record<string, string> = {
  DEPARTMENT_TOPIC_ARN_PREFIX: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-',
  OPEN311_BASE_URL: 'https://a1b2c3.execute-api.ap-northeast-1.amazonaws.com/open311/v2',
  PII_HASH_KEY_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:CasesPiiHashKeyA72D814B-AbCdEf',
  CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:CasesCursorSecret0B2E4A1C-GhIjKl',
};

/** The function's variables with CloudFormation references replaced by placeholder text, as Lambda would see values. */
function resolvedVariables(variables: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : RESOLVED_SHAPES[k] ?? `resolved-${k}-0123456789abcdef`]),
  );
}

describe('every function gets the environment the schema requires', () => {
  it('covers the API, workflow and job functions', () => {
    expect(functions.length).toBeGreaterThan(10);
  });

  it.each(functions.map(([id, fn]) => [id, fn.Properties.Environment.Variables as Record<string, unknown>]))('%s', (_id, variables) => {
    for (const name of ALWAYS_SET) expect(variables, name).toHaveProperty(name);
    const read = Object.keys(environmentSchema.shape);
    expect(Object.keys(variables).filter((k) => !read.includes(k) && !RUNTIME_ONLY.includes(k))).toEqual([]);
    // What CDK sets parses at cold start.
    expect(() => readEnvironment(resolvedVariables(variables))).not.toThrow();
  });

  it('workflow task functions get the topics their composition part demands', () => {
    const tasks = functions.filter(([, fn]) => String(fn.Properties.Description ?? '').includes('workflow task'));
    expect(tasks.length).toBeGreaterThan(0);
    for (const [, fn] of tasks) expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(expect.arrayContaining(['ESCALATION_TOPIC_ARN', 'DEPARTMENT_TOPIC_ARN_PREFIX']));
  });

  it('a department’s topic is the prefix the functions get and its code: the topic is named citydesk-<stage>-<code>', () => {
    const stack = Stack.of(desk.stateful);
    const prefix = stack.resolve(desk.stateful.topics.departmentTopicArnPrefix) as { 'Fn::Join': [string, unknown[]] };
    expect(prefix['Fn::Join'][1]).toEqual(['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':citydesk-dev-']);
    const topics = Template.fromStack(desk.stateful).findResources('AWS::SNS::Topic');
    const named = Object.values(topics).map((t) => t.Properties.TopicName as string | undefined).filter(Boolean);
    expect(named.sort()).toEqual(loadConfig().departments.departments.map((d) => `citydesk-dev-${d.code}`).sort());
  });
});

describe('room to grow', () => {
  it('with 60 departments no function carries more environment than with the shipped ones, and all stay under 4 KB', () => {
    const shipped = environmentSizes(departmentsOf(loadConfig().departments.departments.length));
    const sixty = environmentSizes(departmentsOf(60));

    expect(sixty[0].bytes).toBe(shipped[0].bytes);
    for (const { fn, bytes } of sixty) expect(bytes, fn).toBeLessThan(LAMBDA_ENVIRONMENT_LIMIT);
  });
});
