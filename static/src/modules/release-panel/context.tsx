import { createContext, useContext, type ReactNode } from 'react';
import type { Vocabulary } from '../../shared/vocabulary';
import type { ActionAvailability, PanelView, Release, ReleaseAction } from './api';

export type ActionOutcome = { ok: true } | { ok: false; message: string; field?: string };

export interface PanelState {
  view: PanelView & { release: Release };
  vocab: Vocabulary;
  /** Runs an action on this release: on success reloads the panel and flags it; on a conflict reloads. */
  run(action: ReleaseAction, payload: Record<string, unknown>): Promise<ActionOutcome>;
  /** Loads the panel again. */
  reload(): void;
  /** A person as the panel shows them: display name (the viewer marked), the account id in its title. */
  person(accountId: string | null | undefined): ReactNode;
  /** A person's display name as text (inside a sentence or a label); their id until the name is known. */
  name(accountId: string | null | undefined): string;
}

const Ctx = createContext<PanelState | null>(null);
export const PanelProvider = Ctx.Provider;

export function usePanel(): PanelState {
  const value = useContext(Ctx);
  if (!value) throw new Error('usePanel() outside the release panel');
  return value;
}

/** Reasons that mean "not in this status": such an action is not shown at all rather than shown disabled. */
const NOT_APPLICABLE = new Set(['WRONG_STATUS', 'TEAM_DISSOLVED', 'RELEASE_REQUIRED']);

export function availabilityOf(view: PanelView, action: ReleaseAction): ActionAvailability | undefined {
  const a = view.actions.find((x) => x.action === action);
  if (!a) return undefined;
  return a.reasons.some((r) => NOT_APPLICABLE.has(r)) ? undefined : a;
}
