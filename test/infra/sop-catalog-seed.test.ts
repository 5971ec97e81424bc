/**
 * The deploy step that seeds the SOP catalogue: a custom resource that changes (and so runs) when
 * config/sops.json or the deployed commit changes, and a function that may add SOP items and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { CityDeskFunction } from '../../infra/constructs/function';
import { actionsOf, buildTestApp, logicalId, sharedTestApp, statementsOfRole } from './support/app';

const { desk } = sharedTestApp();
const stateless = Template.fromStack(desk.stateless);
const seed = desk.stateless.sopCatalogSeed;

describe('SOP catalogue seed', () => {
  it('is a custom resource carrying a hash of config/sops.json and the author of the versions it stores', () => {
    const resources = stateless.findResources('Custom::SopCatalogSeed');
    const properties = Object.values(resources).map((r) => r.Properties as Record<string, unknown>);

    expect(properties).toEqual([expect.objectContaining({ ConfigHash: expect.stringMatching(/^[0-9a-f]{64}$/), Author: 'config' })]);
  });

  it('names the deployed commit when the deploy passes it', () => {
    const { desk: withCommit } = buildTestApp({ context: { 'citydesk:commit': 'abc1234' } });
    const resources = Template.fromStack(withCommit.stateless).findResources('Custom::SopCatalogSeed');

    expect(Object.values(resources).map((r) => (r.Properties as Record<string, unknown>).Author)).toEqual(['config@abc1234']);
  });

  it('runs before the API and workflow functions that read the catalogue are created or updated', () => {
    const resources = stateless.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    const seedResource = logicalId(seed.resource);
    const readers = [...desk.stateless.api.node.findAll(), ...desk.stateless.caseWorkflow.node.findAll()].filter((c) => c instanceof CityDeskFunction);

    expect(readers.length).toBeGreaterThan(10);
    for (const fn of readers) expect(resources[logicalId(fn)].DependsOn, fn.node.path).toContain(seedResource);
  });

  it('carries a hash of the shipped knowledge-base articles, whose new versions the same step stores', () => {
    const resources = stateless.findResources('Custom::SopCatalogSeed');

    expect(Object.values(resources).map((r) => (r.Properties as Record<string, unknown>).KnowledgeBaseHash)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it('runs the seeding handler, which may read the table and put SOP and knowledge-base items only', () => {
    const statements = statementsOfRole(stateless, logicalId(seed.function.role!));
    const actions = actionsOf(statements);

    expect(seed.function.handlerModule).toBe('deploy/seed-sop-catalog');
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem']));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:UpdateItem');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(statements.filter((s) => actionsOf([s]).includes('dynamodb:PutItem'))).toEqual([
      expect.objectContaining({ Action: 'dynamodb:PutItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SOP#*', 'KB#*'] } } }),
    ]);
  });
});
