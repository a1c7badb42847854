import { showFlag } from '@forge/bridge';
import type { FlagKind } from './flags';

let seq = 0;

/** A flag with one action (e.g. "Open RG-12"), for a result the user will want to go to. */
export function notifyWithAction(kind: FlagKind, title: string, description: string | undefined, action: { text: string; onClick: () => void }): void {
  seq += 1;
  try {
    showFlag({ id: `rg-flag-action-${Date.now()}-${seq}`, type: kind, appearance: kind, title, description, actions: [action], isAutoDismiss: false });
  } catch {
    // A host without flags must not break the action that succeeded.
  }
}
