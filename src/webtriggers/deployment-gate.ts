import { handleGateRequest, type GateAnswer, type WebTriggerRequest } from '../services/pipeline';

/**
 * The `deployment-gate` web trigger: a pipeline's `check` / `started` / `progress` / `finished`. Forge does
 * not authenticate web triggers (forge-docs runtime-reference/web-trigger "Authentication"), so the handler
 * authenticates the pipeline token itself. The trigger is static: the answer is an output key of manifest.yml.
 */
export async function deploymentGate(request: WebTriggerRequest): Promise<GateAnswer> {
  return handleGateRequest(request ?? {});
}
