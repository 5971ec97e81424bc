/**
 * After a point-in-time restore, `-c citydesk:tableName=<restored>` (or an object by stage in cdk.json) points the
 * stage's functions, their grants and the table alarms at the restored table; the stack's own table stays as it is.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { tableNameFromContext } from '../../infra/stage';
import { CASE_TABLE } from '../../infra/constructs/table-definition';
import { buildTestApp, logicalId, statementsOfRole } from './support/app';

const RESTORED = 'citydesk-dev-cases-restored-20261201T0300';

function stage(context: Record<string, unknown> = {}) {
  const { desk } = buildTestApp({ stage: 'dev', context });
  const stateless = Template.fromStack(desk.stateless);
  const functions = Object.values(stateless.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Environment?.Variables?.TABLE_NAME !== undefined);
  // Every statement that names a DynamoDB action, over every project function's role.
  const tableStatements = functions.flatMap((fn) =>
    statementsOfRole(stateless, (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]).filter((s) => JSON.stringify(s.Action).includes('dynamodb:')),
  );
  return { desk, stateless, stateful: Template.fromStack(desk.stateful), operations: Template.fromStack(desk.operations), functions, tableStatements };
}

describe('the table a stage uses', () => {
  const own = stage();
  const restored = stage({ 'citydesk:tableName': RESTORED });
  const ownTableId = logicalId(own.desk.stateful.table.ownTable);

  it("by default every function, grant and table alarm uses the stack's own table", () => {
    expect(own.functions.length).toBeGreaterThan(30);
    for (const fn of own.functions) expect(JSON.stringify(fn.Properties.Environment.Variables.TABLE_NAME)).toContain(`Ref${ownTableId}`);
    expect(own.tableStatements.length).toBeGreaterThan(30);
    for (const s of own.tableStatements) expect(JSON.stringify(s.Resource)).toContain(ownTableId);
  });

  it('with citydesk:tableName every function gets the restored table, and may touch it and its indexes only', () => {
    for (const fn of restored.functions) expect(fn.Properties.Environment.Variables.TABLE_NAME).toBe(RESTORED);
    expect(JSON.stringify(restored.stateless.toJSON())).not.toContain(ownTableId);
    expect(restored.tableStatements.length).toBe(own.tableStatements.length);
    const tableArns = new Set<string>();
    for (const s of restored.tableStatements)
      for (const resource of Array.isArray(s.Resource) ? s.Resource : [s.Resource]) tableArns.add(JSON.stringify(resource).replace(/.*:table\/([^"]*)".*/, '$1'));
    expect([...tableArns].sort()).toEqual([RESTORED, ...CASE_TABLE.indexes.map((i) => `${RESTORED}/index/${i.name}`)].sort());
  });

  it("the table alarms watch the restored table, and the stack's own table stays unchanged", () => {
    const dimensions = (t: Template) =>
      Object.values(t.findResources('AWS::CloudWatch::Alarm'))
        .map((a) => JSON.stringify(a.Properties))
        .filter((p) => p.includes('AWS/DynamoDB'));
    expect(dimensions(restored.operations).length).toBeGreaterThan(0);
    for (const alarm of dimensions(restored.operations)) {
      expect(alarm).toContain(`{"Name":"TableName","Value":"${RESTORED}"}`);
      expect(alarm).not.toContain(ownTableId);
    }
    expect(restored.stateful.findResources('AWS::DynamoDB::GlobalTable')).toEqual(own.stateful.findResources('AWS::DynamoDB::GlobalTable'));
  });

  it('takes the name for the stage from an object by stage, and refuses what is not a table name', () => {
    expect(tableNameFromContext({ prod: 'citydesk-prod-restored' }, 'dev')).toBeUndefined();
    expect(tableNameFromContext('{"dev":"citydesk-dev-restored"}', 'dev')).toBe('citydesk-dev-restored');
    expect(tableNameFromContext(RESTORED, 'dev')).toBe(RESTORED);
    expect(() => tableNameFromContext('arn:aws:dynamodb:ap-northeast-1:123456789012:table/x', 'dev')).toThrow(/citydesk:tableName for stage dev must be a DynamoDB table name/);
  });
});
