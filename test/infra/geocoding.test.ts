/**
 * Geocoding at intake in the templates: a stage whose context names a place index gives the geocoding function the
 * index's name and SearchPlaceIndexForText on that index alone, and tells the console; a stage without one gives
 * neither, and no function anywhere may use Amazon Location.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { placeIndexNameFromContext } from '../../infra/stage';
import { actionsOf, buildTestApp, logicalId, statementsOfRole } from './support/app';

const distDir = mkdtempSync(path.join(os.tmpdir(), 'citydesk-console-dist-'));
writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
afterAll(() => rmSync(distDir, { recursive: true, force: true }));

function stageWith(context: Record<string, unknown>) {
  const { desk } = buildTestApp({ stage: 'dev', context, sources: { consoleDist: distDir } });
  const template = Template.fromStack(desk.stateless);
  const fn = desk.stateless.api.functions.get('api/handlers/places')!;
  const environment = () => (template.toJSON().Resources as Record<string, { Properties: { Environment?: { Variables?: Record<string, unknown> } } }>)[logicalId(fn)].Properties.Environment?.Variables ?? {};
  const allStatements = Object.keys(template.findResources('AWS::IAM::Role')).flatMap((role) => statementsOfRole(template, role));
  return { desk, template, environment, statements: statementsOfRole(template, logicalId(fn.role!)), allStatements };
}

describe('a stage with a place index (context citydesk:placeIndexName)', () => {
  const stage = stageWith({ 'citydesk:placeIndexName': { dev: 'citydesk-dev-places' } });

  it('gives the geocoding function PLACE_INDEX_NAME and SearchPlaceIndexForText on that index only', () => {
    expect(stage.environment().PLACE_INDEX_NAME).toBe('citydesk-dev-places');
    const geo = stage.statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('geo:')));
    expect(geo).toHaveLength(1);
    expect(actionsOf(geo)).toEqual(['geo:SearchPlaceIndexForText']);
    expect(JSON.stringify(stage.desk.stateless.resolve(geo[0].Resource))).toMatch(/:geo:.*:place-index\/citydesk-dev-places"/);
  });

  it('no other function may use Amazon Location', () => {
    const geoStatements = stage.allStatements.filter((s) => actionsOf([s]).some((a) => a.startsWith('geo:')));
    expect(geoStatements).toHaveLength(1);
  });

  it("tells the console geocoding is available (config.json)", () => {
    expect(stage.desk.console!.release.runtimeConfig.geocoding).toBe(true);
  });
});

describe('a stage without one', () => {
  const stage = stageWith({});

  it('gives no function PLACE_INDEX_NAME or any geo: action, and the console offers no address search', () => {
    expect(stage.environment().PLACE_INDEX_NAME).toBeUndefined();
    expect(stage.allStatements.filter((s) => actionsOf([s]).some((a) => a.startsWith('geo:')))).toEqual([]);
    expect(stage.desk.console!.release.runtimeConfig.geocoding).toBeUndefined();
  });

  it("reads the context by stage or as one name, and refuses a name Amazon Location would not take", () => {
    expect(placeIndexNameFromContext({ prod: 'citydesk-places' }, 'dev')).toBeUndefined();
    expect(placeIndexNameFromContext('{"dev":"dev-places"}', 'dev')).toBe('dev-places');
    expect(placeIndexNameFromContext('places.v1', 'dev')).toBe('places.v1');
    expect(() => placeIndexNameFromContext('my places', 'dev')).toThrow(/citydesk:placeIndexName/);
  });
});
