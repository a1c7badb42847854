/**
 * What the project-level reads answer, shared by the services that build them and the UI that shows them.
 * (Release and DSL views are the domain's own types.)
 */
import type { Policy, StandingRole } from '../domain';

/** `project/context`: who the actor is in the project and the project's effective policy. */
export interface ProjectContextView {
  projectId: string;
  projectKey: string;
  /** The project's set-up has recorded its Release Request issue type (releases can be raised). */
  setUp: boolean;
  actor: { accountId: string; standingRoles: StandingRole[] };
  /** Defaults filled in. */
  policy: Policy;
}

/** One entry of `project/list`. */
export interface ProjectListItem {
  id: string;
  key: string;
  name: string;
  setUp: boolean;
}

export interface SetupStepView {
  step: string;
  done: boolean;
  error?: string;
}

/**
 * `admin/getSetupStatus`: set-up progress per step, the project's set-up record (its row version for
 * optimistic concurrency; null before there is one), the Jira project roles to map onto, and what the actor
 * may do there.
 */
export interface SetupStatusView {
  projectId: string;
  projectKey: string;
  steps: SetupStepView[];
  complete: boolean;
  setup: { version: number; roleIds: Partial<Record<StandingRole, string>>; policy: Policy } | null;
  jiraRoles: { id: string; name: string }[];
  actor: { standingRoles: StandingRole[]; canAdminister: boolean };
}
