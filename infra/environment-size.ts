/**
 * How many bytes a function's environment takes once CloudFormation resolves its references: Lambda allows 4 KB
 * for all variables together. A reference (an ARN, a name) counts as RESOLVED_REFERENCE bytes: 40 for
 * `arn:aws:sns:<region>:<account>:`, 80 for a generated name.
 */
export const LAMBDA_ENVIRONMENT_LIMIT = 4096;
export const RESOLVED_REFERENCE = 120;

export function estimatedValueBytes(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (v && typeof v === 'object' && 'Fn::Join' in v) return (v as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].reduce<number>((n, p) => n + estimatedValueBytes(p), 0);
  return RESOLVED_REFERENCE;
}

/** Keys and estimated values of a resolved `Environment.Variables` map. */
export function estimatedEnvironmentBytes(vars: Record<string, unknown>): number {
  return Object.entries(vars).reduce((n, [k, v]) => n + Buffer.byteLength(k) + estimatedValueBytes(v), 0);
}
