/** The two remote services that `__forge_fetch__` reaches, as the platform sees them. */

export interface KvsResponse {
  status: number;
  body?: unknown;
}

export interface KvsBackend {
  /** One `@forge/kvs` request: `path` such as `/api/v1/get`, `body` the parsed JSON it sent. */
  handle(path: string, body: unknown): KvsResponse;
}

/** Requests `@forge/api` sends to `stargate` as the app (queue pushes, GraphQL): path and parsed JSON body. */
export interface StargateBackend {
  handle(path: string, body: unknown): Promise<KvsResponse> | KvsResponse;
}

export type JiraActor = { kind: 'user'; accountId: string } | { kind: 'app' } | { kind: 'anonymous' };

export interface JiraRequest {
  method: string;
  /** Path and query string as `@forge/api` sent it, e.g. `/rest/api/3/issue/RG-1?fields=summary`. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  actor: JiraActor;
}

export interface JiraResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface JiraBackend {
  handle(req: JiraRequest): Promise<JiraResponse>;
}

/** What the Jira emulator may ask of the platform: run the app's functions, deliver product events. */
export interface PlatformHooks {
  /** Runs a manifest function (e.g. a workflow validator) as Forge would, returning its value. */
  invokeFunction(functionKey: string, event: unknown, opts: { accountId?: string; moduleKey: string }): Promise<unknown>;
  /** Queues a product event for the app's triggers; delivered asynchronously, as on Forge. */
  emitEvent(eventType: string, event: Record<string, unknown>): void;
}
