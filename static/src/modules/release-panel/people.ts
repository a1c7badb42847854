import type { PanelView } from './api';

/** Everyone the panel knows of (team, lead, requester, fallback step owners, trainers, history, the viewer): the suggestions of a person field. */
export function knownPeople(view: PanelView): string[] {
  const ids = new Set<string>();
  ids.add(view.actor.accountId);
  if (view.release?.leadAccountId) ids.add(view.release.leadAccountId);
  if (view.release?.requesterAccountId) ids.add(view.release.requesterAccountId);
  for (const m of view.team?.members ?? []) ids.add(m.accountId);
  for (const s of view.fallbackPlan?.steps ?? []) ids.add(s.ownerAccountId);
  for (const task of view.trainingTasks) ids.add(task.trainerAccountId);
  for (const e of view.history) ids.add(e.actorAccountId);
  return [...ids].sort();
}
