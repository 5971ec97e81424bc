/** A department's staff by name, from the staff directory (GET /users/staff): whom a case can be assigned to. */
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { useAsync } from './hooks';
import { ErrorBanner } from './ui';

export function StaffPicker({ department, value, onChange, autoFocus }: { department?: string; value: string; onChange: (id: string) => void; autoFocus?: boolean }) {
  const { api } = useApp();
  const { t } = useI18n();
  const staff = useAsync(() => api.departmentStaff(department), [api, department]);
  return (
    <>
      <select name="assignee" value={value} onChange={(e) => onChange(e.target.value)} autoFocus={autoFocus}>
        <option value="">{t('assign.pick')}</option>
        {(staff.data?.items ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <ErrorBanner error={staff.error} />
    </>
  );
}
