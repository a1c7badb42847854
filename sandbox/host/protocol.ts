/**
 * Messages between an app frame, the host page around it, and the host server. Shared by the server and
 * the two browser scripts (type-only imports, erased when they are served).
 */

/** Which module a frame shows and where: the host page sends it with every bridge call of that frame. */
export interface FrameSpec {
  moduleKey: string;
  issueKey?: string;
  projectKey?: string;
  gadgetId?: string;
  /** `edit` for a dashboard gadget's configuration view. */
  entryPoint?: 'edit';
  /** Sub-path of a full-page module (`view.createHistory`), without the module's own prefix. */
  subPath?: string;
}

/** What the host page posts to `/api/bridge`. */
export interface BridgeRequest {
  frame: FrameSpec;
  name: string;
  args?: unknown;
}

/** Something the host page must do after a call: show a flag, navigate, reload or close a frame. */
export type HostEffect =
  | { kind: 'flag'; id: string; type: 'info' | 'success' | 'warning' | 'error'; title: string; description?: string; actions: { id: string; text: string }[]; isAutoDismiss: boolean }
  | { kind: 'closeFlag'; id: string }
  | { kind: 'navigate'; url: string; newTab: boolean }
  | { kind: 'reloadPage' }
  /** `view.refresh()` on an issue view module: Jira refreshes the issue (header, status) and tells the other issue view modules. */
  | { kind: 'refreshIssue' }
  | { kind: 'reloadFrame' }
  | { kind: 'closeFrame' }
  | { kind: 'historyPush'; subPath: string; replace: boolean }
  | { kind: 'historyGo'; n: number }
  | { kind: 'title'; title: string };

export type BridgeResponse = { ok: true; value: unknown; effects?: HostEffect[] } | { ok: false; message: string };

/** The theme a frame applies: attributes on its `<html>` and the token style sheets to link. */
export interface FrameTheme {
  colorMode: 'light' | 'dark';
  attrs: Record<string, string>;
  stylesheets: string[];
}

/** Frame → host page. */
export type FrameToHost =
  | { kind: 'forge-bridge/call'; id: number; name: string; args?: unknown }
  | { kind: 'forge-bridge/size'; height: number }
  | { kind: 'forge-bridge/flag-action'; flagId: string; actionId: string }
  | { kind: 'forge-bridge/csp'; directive: string; blockedURI: string; sample: string };

/** Host page → frame. */
export type HostToFrame =
  | { kind: 'forge-bridge/result'; id: number; ok: true; value: unknown }
  | { kind: 'forge-bridge/result'; id: number; ok: false; message: string }
  | { kind: 'forge-bridge/theme'; theme: FrameTheme }
  | { kind: 'forge-bridge/flag-action'; flagId: string; actionId: string }
  | { kind: 'forge-bridge/history'; subPath: string; action: 'POP' | 'PUSH' | 'REPLACE' }
  /** A product event for `events.on(event, …)` in the frame (e.g. `JIRA_ISSUE_CHANGED` on the issue view). */
  | { kind: 'forge-bridge/event'; event: string; payload: unknown };
