/**
 * The type-check and the lint on one TypeScript program: what `npm run typecheck` and `npm run lint` check, with
 * the same tsconfig.json, eslint.config.js and caches' kinds, but the program (every file parsed and bound, types
 * resolved) built once instead of once by tsc and once more by typescript-eslint's type-checked rules. That
 * program was about a fifth of the two checks' CPU, and `npm test` runs them on the cores its tests use.
 * Type errors are printed as tsc prints them, lint problems as eslint does; the exit code is 1 when either found
 * any, after both have run.
 *
 *   tsx scripts/typecheck-and-lint.ts            (npm test runs it through scripts/static-checks.ts)
 */
import path from 'node:path';
import ts from 'typescript';
import { ESLint } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '..');
// The type-check's build info (the same file `npm run typecheck` keeps) and a lint cache of its own: its entries
// are keyed on the config, which here names this program instead of the tsconfig path.
const BUILD_INFO = path.join(ROOT, 'node_modules/.cache/tsc/tsconfig.tsbuildinfo');
const LINT_CACHE = path.join(ROOT, 'node_modules/.cache/eslint-one-program/');

const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };

function typecheck(): { program: ts.Program; diagnostics: readonly ts.Diagnostic[] } {
  let configErrors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), { incremental: true, tsBuildInfoFile: BUILD_INFO }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => (configErrors = [d]),
  });
  if (!parsed) throw new Error(ts.formatDiagnostics(configErrors, host));
  const builder = ts.createIncrementalProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences, configFileParsingDiagnostics: parsed.errors });
  const diagnostics = [
    ...builder.getConfigFileParsingDiagnostics(),
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
    ...builder.getSemanticDiagnostics(),
  ];
  // With noEmit, this writes the build info only: the next run checks just what changed.
  builder.emit();
  return { program: builder.getProgram(), diagnostics };
}

async function lint(program: ts.Program): Promise<{ output: string; failed: boolean }> {
  // The program is not data: ESLint keys its cache on the config's JSON, so it stands there by name.
  const programs = Object.assign([program], { toJSON: () => 'tsconfig.json, one program' });
  const eslint = new ESLint({ cwd: ROOT, cache: true, cacheLocation: LINT_CACHE, overrideConfig: { languageOptions: { parserOptions: { programs } } } });
  const results = await eslint.lintFiles(['.']);
  const output = await (await eslint.loadFormatter('stylish')).format(results);
  return { output, failed: results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0) };
}

const { program, diagnostics } = typecheck();
if (diagnostics.length) process.stdout.write(ts.formatDiagnostics(diagnostics, host));
const lintResult = await lint(program);
process.stdout.write(lintResult.output);
if (diagnostics.length || lintResult.failed) process.exitCode = 1;
