/**
 * The largest Lambda environment of the app, in bytes once references resolve (infra/environment-size.ts), with
 * the shipped departments and with 60, against Lambda's 4 KB limit. No synth: the environments are read from the
 * construct tree, so this takes seconds.
 *   npx tsx bench/lambda-environment.ts
 */
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { loadConfig } from '../functions/config/load';
import type { DepartmentsFile } from '../functions/config/schema';
import { estimatedEnvironmentBytes, LAMBDA_ENVIRONMENT_LIMIT } from '../infra/environment-size';
import { CityDeskFunction } from '../infra/constructs/function';
import { buildTestApp } from '../test/infra/support/app';

/** The shipped departments plus copies of the first one (codes X01, X02...) up to `count`. */
export function departmentsOf(count: number, shipped: DepartmentsFile = loadConfig().departments): DepartmentsFile {
  const template = shipped.departments.find((d) => d.receivesCases)!;
  const extra = Array.from({ length: Math.max(0, count - shipped.departments.length) }, (_, i) => {
    const code = `X${String(i + 1).padStart(2, '0')}`;
    return { ...template, code, name: { zh: `${template.name.zh} ${code}`, en: `${template.name.en} ${code}` } };
  });
  return { ...shipped, departments: [...shipped.departments, ...extra] };
}

/** Function path -> estimated environment bytes, largest first. */
export function environmentSizes(departments: DepartmentsFile): Array<{ fn: string; bytes: number }> {
  const { desk } = buildTestApp({ stage: 'dev', sources: { departments } });
  return desk.stateless.node
    .findAll()
    .filter((c): c is CityDeskFunction => c instanceof CityDeskFunction)
    .map((fn) => {
      const cfn = fn.node.defaultChild as CfnFunction;
      const env = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
      return { fn: fn.node.path, bytes: estimatedEnvironmentBytes(env?.variables ?? {}) };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const shipped = loadConfig().departments.departments.length;
  console.log(`Lambda environment limit: ${LAMBDA_ENVIRONMENT_LIMIT} bytes`);
  for (const count of [shipped, 60]) {
    const sizes = environmentSizes(departmentsOf(count));
    const largest = sizes[0];
    const over = sizes.filter((s) => s.bytes >= LAMBDA_ENVIRONMENT_LIMIT).length;
    console.log(`${count} departments: largest ${largest.bytes} bytes (${largest.fn}), ${(100 * largest.bytes / LAMBDA_ENVIRONMENT_LIMIT).toFixed(0)}% of the limit; ${over} of ${sizes.length} functions at or over it`);
  }
}
