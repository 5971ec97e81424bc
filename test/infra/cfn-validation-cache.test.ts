import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type IPolicyValidationContext, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedCloudFormationValidate, validationKey } from '../../infra/cfn-validation-cache';

let dir: string;

function template(name: string, content: object): string {
  const file = path.join(dir, `${name}.template.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function contextOf(...templatePaths: string[]): IPolicyValidationContext {
  return {
    templatePaths,
    stackTemplates: templatePaths.map((templatePath) => ({ templatePath, stackConstructPath: path.basename(templatePath), accountId: undefined, region: undefined })),
    appConstruct: new App(),
  };
}

const BUCKET = { Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } };

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'citydesk-cfn-validation-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the key of a CloudFormation validation', () => {
  it('is the same for the same templates', () => {
    const a = template('A', BUCKET);
    const key = validationKey(contextOf(a));
    template('A', structuredClone(BUCKET));
    expect(validationKey(contextOf(a))).toBe(key);
  });

  it('changes when a template changes by one property', () => {
    const a = template('A', BUCKET);
    const key = validationKey(contextOf(a));
    template('A', { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'x' } } } });
    expect(validationKey(contextOf(a))).not.toBe(key);
  });

  it('changes with another stack in the synth, and with the aws-cdk-lib version (engine and rules ship in it)', () => {
    const a = template('A', BUCKET);
    const key = validationKey(contextOf(a));
    expect(validationKey(contextOf(a, template('B', BUCKET)))).not.toBe(key);
    expect(validationKey(contextOf(a), '0.0.0')).not.toBe(key);
  });
});

describe('CachedCloudFormationValidate', () => {
  it("gives the stored report for templates it has validated, without running CDK's engine", () => {
    const context = contextOf(template('A', BUCKET));
    const stored: PolicyValidationPluginReport = {
      success: false,
      violations: [{ ruleName: 'E3002', description: 'stored finding', severity: 'error', violatingResources: [{ resourceLogicalId: 'Bucket', templatePath: context.templatePaths[0], locations: [] }] }],
    };
    mkdirSync(path.join(dir, 'citydesk-cfn-validation'));
    writeFileSync(path.join(dir, 'citydesk-cfn-validation', `${validationKey(context)}.json`), JSON.stringify(stored));
    expect(new CachedCloudFormationValidate(dir).validate(context)).toEqual(stored);
  });
});

describe('CachedCloudFormationValidate, validating', () => {
  // A plugin's engine holds about 130 MB of WebAssembly memory until the plugin is disposed, which nothing does
  // for an app's plugins: an engine per app grew a test worker that synthesizes many apps without bound.
  it("checks each app's templates with one engine per process, none held by the app's own plugin", () => {
    const bad = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { NoSuchProperty: 'x' } } } };
    const plugins = ['first', 'second'].map((name) => {
      const out = path.join(dir, name);
      mkdirSync(out);
      const plugin = new CachedCloudFormationValidate(out);
      const report = plugin.validate(contextOf(template(name, bad)));
      expect(report.success).toBe(false);
      expect(report.violations.map((v) => v.description).join('\n')).toContain('NoSuchProperty');
      return plugin;
    });
    for (const plugin of plugins) expect(Reflect.get(plugin, 'engine')).toBeUndefined();
  });
});
