/**
 * The layer rules of docs/architecture.md as code: `npm run depcruise` (part of `npm test`) fails on any import
 * that breaks one. Type-only imports count (tsPreCompilationDeps), so a rule cannot be dodged with `import type`.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment:
        'The domain core is pure: it imports only the domain, the config file shapes it decides over (functions/config/schema.ts, zod shapes without I/O) and the holiday rules. No Node built-ins, no I/O, no config loading.',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: { pathNot: ['^functions/domain/', '^functions/config/schema\\.ts$', '^node_modules/(date-holidays|zod)/'] },
    },
    {
      name: 'usecases-never-import-api-adapters-or-sdk',
      comment: 'A use case takes its ports as arguments: it never reaches for the HTTP layer, an adapter, the composition root or the AWS SDK.',
      severity: 'error',
      from: { path: '^functions/usecases/' },
      to: { path: ['^functions/(api|adapters|open311|workflow)/', '^functions/composition\\.ts$', '^functions/config/(load|environment)\\.ts$', '^node_modules/@aws-sdk/'] },
    },
    {
      name: 'only-adapters-import-aws-sdk',
      comment: 'Adapters own every SDK call: no other product code (functions, console) imports @aws-sdk/*.',
      severity: 'error',
      from: { path: '^(functions|console)/', pathNot: '^functions/adapters/' },
      to: { path: '^node_modules/@aws-sdk/' },
    },
    {
      name: 'functions-never-import-infra-local-console',
      comment: 'The Lambda code is deployed alone: it cannot depend on the CDK app, the local cloud, the console, tests or benches.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(infra|local|console|test|bench)/' },
    },
    {
      name: 'console-imports-only-domain-and-api-schemas',
      comment:
        'The console shares the pure domain, the API schemas and the authorization policy with the functions, nothing else of them (no adapters, use cases, handlers or config loading in the browser bundle).',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: '^functions/', pathNot: ['^functions/domain/', '^functions/api/schemas\\.ts$', '^functions/auth/policy\\.ts$', '^functions/config/schema\\.ts$'] },
    },
    {
      name: 'adapters-wired-only-in-composition-root',
      comment:
        'Clients, adapters and settings are built once per container in functions/composition.ts; handlers, the HTTP pipeline and the privacy rules get them from there instead of building their own.',
      severity: 'error',
      from: { path: '^functions/', pathNot: ['^functions/adapters/', '^functions/composition\\.ts$'] },
      to: { path: '^functions/adapters/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'environment-and-config-read-only-in-composition-root',
      comment: 'The environment and the config files are read in one place per container (functions/composition.ts), never from a module that happens to need a value.',
      severity: 'error',
      from: { path: '^functions/', pathNot: ['^functions/config/', '^functions/composition\\.ts$'] },
      to: { path: '^functions/config/(load|environment)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-cycles',
      comment: 'No module depends on itself through others, type-only imports included.',
      severity: 'error',
      from: { path: '^(functions|console|infra|local)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^cdk\\.out/', '^console/dist/', '^\\.citydesk/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    combinedDependencies: false,
  },
};
