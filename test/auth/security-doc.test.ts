import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyTable, SECURITY_DOC, withPolicyTable } from '../../functions/auth/policy-doc';
import { ROUTES } from '../../functions/api/routes';

describe('docs/security.md', () => {
  it('shows the role table as the policy says it (refresh: npx tsx functions/auth/policy-doc.ts)', () => {
    const doc = readFileSync(SECURITY_DOC, 'utf8');

    expect(withPolicyTable(doc)).toBe(doc);
  });

  it('has one row per route, and no route without a policy', () => {
    const table = policyTable();

    expect(table.split('\n')).toHaveLength(ROUTES.length + 2);
    expect(table).not.toContain('NO POLICY');
  });
});
