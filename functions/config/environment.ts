/**
 * The environment every function gets, defined once: CDK sets it on each Lambda function and the local cloud
 * sets the same variables for the in-process handlers. Handlers read it through `env()`, which fails at cold
 * start when something is missing rather than mid-request.
 */
export interface ResourceNames {
  stage: string;
  tableName: string;
  /** Case lifecycle state machine ARN. */
  caseWorkflowArn?: string;
  escalationTopicArn?: string;
  /** Department code -> topic ARN. */
  departmentTopicArns?: Record<string, string>;
  consoleUrl?: string;
  /** Verified SES sender for citizens' e-mail; without it citizens who chose e-mail are not e-mailed (recorded). */
  citizenEmailFrom?: string;
  /** Key of the phone-search index and SMS caps (functions/privacy/phone-hash.ts); CDK passes a secret's value. */
  piiHashKey?: string;
}

export const ENV_NAMES = {
  stage: 'STAGE',
  tableName: 'TABLE_NAME',
  caseWorkflowArn: 'CASE_WORKFLOW_ARN',
  escalationTopicArn: 'ESCALATION_TOPIC_ARN',
  departmentTopicArns: 'DEPARTMENT_TOPIC_ARNS',
  consoleUrl: 'CONSOLE_URL',
  citizenEmailFrom: 'CITIZEN_EMAIL_FROM',
  piiHashKey: 'PII_HASH_KEY',
} as const;

/** Environment variables for a function, from the names of the resources it may use. */
export function handlerEnvironment(r: ResourceNames): Record<string, string> {
  const env: Record<string, string> = {
    [ENV_NAMES.stage]: r.stage,
    [ENV_NAMES.tableName]: r.tableName,
    POWERTOOLS_SERVICE_NAME: 'citydesk-1999',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_OPTIONS: '--enable-source-maps',
  };
  if (r.caseWorkflowArn) env[ENV_NAMES.caseWorkflowArn] = r.caseWorkflowArn;
  if (r.escalationTopicArn) env[ENV_NAMES.escalationTopicArn] = r.escalationTopicArn;
  if (r.departmentTopicArns) env[ENV_NAMES.departmentTopicArns] = JSON.stringify(r.departmentTopicArns);
  if (r.consoleUrl) env[ENV_NAMES.consoleUrl] = r.consoleUrl;
  if (r.citizenEmailFrom) env[ENV_NAMES.citizenEmailFrom] = r.citizenEmailFrom;
  if (r.piiHashKey) env[ENV_NAMES.piiHashKey] = r.piiHashKey;
  return env;
}

export class MissingEnvironmentError extends Error {
  constructor(name: string) {
    super(`Environment variable ${name} is not set`);
    this.name = 'MissingEnvironmentError';
  }
}

export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new MissingEnvironmentError(name);
  return v;
}

/** Read lazily so a module can be imported (by tests, the local cloud) before the environment is set. */
export const env = {
  stage: () => process.env[ENV_NAMES.stage] ?? 'dev',
  tableName: () => requireEnv(ENV_NAMES.tableName),
  caseWorkflowArn: () => requireEnv(ENV_NAMES.caseWorkflowArn),
  escalationTopicArn: () => requireEnv(ENV_NAMES.escalationTopicArn),
  departmentTopicArns: (): Record<string, string> => JSON.parse(requireEnv(ENV_NAMES.departmentTopicArns)) as Record<string, string>,
  consoleUrl: () => process.env[ENV_NAMES.consoleUrl] ?? '',
  citizenEmailFrom: () => process.env[ENV_NAMES.citizenEmailFrom] ?? '',
};
