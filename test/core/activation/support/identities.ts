import type { SummaryRow } from '../reference.ts';

/**
 * The identities every period of a summary must satisfy (the acceptance): Active = New +
 * Retained + Reactivated, and Active(p) - Active(p-1) = New + Reactivated - Churned, Active(p-1) being
 * the previous summary row's (0 before the first). Returns one line per violation.
 */
export const identityViolations = (rows: readonly SummaryRow[]): string[] => {
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const previous = i === 0 ? 0 : (rows[i - 1]?.active_users ?? 0);
    if (row.active_users !== row.new_users + row.retained_users + row.reactivated_users) {
      problems.push(`${row.period_start}: active ${row.active_users} <> new + retained + reactivated`);
    }
    if (row.previous_active_users !== previous) {
      problems.push(`${row.period_start}: previous_active_users ${row.previous_active_users} <> ${previous}`);
    }
    if (row.active_users - previous !== row.new_users + row.reactivated_users - row.churned_users) {
      problems.push(
        `${row.period_start}: active ${row.active_users} - previous ${previous} <> new ${row.new_users} + reactivated ${row.reactivated_users} - churned ${row.churned_users}`,
      );
    }
  });
  return problems;
};
