import { readNumber } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';

/** `workspaces`: the workspace filter's suggestions: ids containing `search`, the most active first. */
export const workspacesReport: ConsoleReport = {
  name: 'workspaces',
  summary: 'workspaces whose id contains the search text, by active users',
  prepare(params) {
    const search = params.key('search');
    const limit = params.integer('limit', 1, 200, 20);
    return {
      params: { search, limit },
      async run(reads) {
        const rows = await reads.statement('console/workspaces', 'workspaces', { search, max_rows: limit });
        return rows.map((r) => ({
          workspaceId: String(r.workspace_id),
          users: readNumber(r.users) ?? 0,
          lastSeen: String(r.last_seen),
        }));
      },
    };
  },
};
