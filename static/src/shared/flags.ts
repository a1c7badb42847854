import { showFlag } from '@forge/bridge';

export type FlagKind = 'info' | 'success' | 'warning' | 'error';

let seq = 0;

/** Shows a flag in Jira's chrome (outside the app's frame, so it survives the frame's own re-render). */
export function notify(kind: FlagKind, title: string, description?: string): void {
  seq += 1;
  try {
    showFlag({ id: `rg-flag-${Date.now()}-${seq}`, type: kind, appearance: kind, title, description, isAutoDismiss: kind !== 'error' });
  } catch {
    // A host without flags must not break the action that succeeded.
  }
}
