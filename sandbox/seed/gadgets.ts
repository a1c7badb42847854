import type { DashboardGadget } from '../host/pages';
import type { JiraEmulator } from '../jira';

/**
 * The demo's dashboard: two KPI gadgets on project PAY, configured as their edit view would have saved them,
 * so that `npm start` shows charts at once — the ITSS process KPIs, and DORA's four keys beside the rollback
 * and emergency share. A refresh every 15 minutes, as Jira's gadget `refresh` field asks.
 */
export function demoGadgets(jira: JiraEmulator, projectKey = 'PAY'): DashboardGadget[] {
  const project = jira.state.project(projectKey);
  if (!project) return [];
  const projectId = String(project.id);
  return [
    {
      id: 'kpi-gadget-1',
      moduleKey: 'kpi-gadget',
      config: { projectId, period: 3, display: 'CHART', kpis: ['RELEASE_SUCCESS_RATE', 'RELEASE_TIMELINESS', 'PROCESS_EFFECTIVENESS', 'TRAINING_TIMELINESS', 'DSL_ACCURACY'], refresh: 15 },
    },
    {
      id: 'kpi-gadget-2',
      moduleKey: 'kpi-gadget',
      config: { projectId, period: 12, display: 'CHART', kpis: ['DEPLOYMENT_FREQUENCY', 'LEAD_TIME_FROM_REQUEST_DAYS', 'CHANGE_FAILURE_RATE', 'RECOVERY_TIME_MINUTES'], refresh: 15 },
    },
  ];
}
