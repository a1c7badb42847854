/**
 * The app's workflow as Jira's bulk workflow API holds it (`POST /rest/api/3/workflows` reads it,
 * `POST /rest/api/3/workflows/update` takes it back whole), and how an existing one is brought up to what the
 * current version of set-up creates. Pure: set-up reads, calls `planWorkflowUpdate`, and writes only when it
 * answers a change.
 *
 * What the app owns, and so replaces: every transition set-up creates (by id: name, description, type, target,
 * sources), and on those the rules that point at this app's own modules in this environment (`isOwnRule`).
 * What it leaves alone: rules someone else added to those transitions (a site admin's post function), transitions
 * someone else added, status layout and properties, link ports. A transition that carries rules of ours but is no
 * longer one set-up creates (an earlier version's) goes. Statuses are added, never removed: removing one that
 * issues are in needs a status migration, which is not set-up's to decide.
 */

export interface RuleDoc {
  id?: string | null | undefined;
  ruleKey: string;
  parameters?: Record<string, string> | undefined;
}

export interface ConditionGroupDoc {
  operation: 'ALL' | 'ANY';
  conditions?: RuleDoc[] | undefined;
  conditionGroups?: ConditionGroupDoc[] | undefined;
}

export interface LinkDoc {
  fromStatusReference: string;
  fromPort?: number | undefined;
  toPort?: number | undefined;
}

export interface TransitionDoc {
  id: string;
  name: string;
  description?: string | undefined;
  type: 'INITIAL' | 'GLOBAL' | 'DIRECTED';
  toStatusReference: string;
  links: LinkDoc[];
  conditions?: ConditionGroupDoc | null | undefined;
  validators: RuleDoc[];
  actions: RuleDoc[];
  properties: Record<string, string>;
}

export interface WorkflowDoc {
  /** Status ids, in the workflow's order. */
  statuses: string[];
  transitions: TransitionDoc[];
}

export interface WorkflowUpdatePlan {
  upToDate: boolean;
  /** The workflow as it must be (equal to `current` when up to date). */
  next: WorkflowDoc;
  /** What differs, for the log and the admin page: transition ids whose part set-up owns differs, statuses added, transitions removed. */
  changed: { transitions: string[]; statusesAdded: string[]; transitionsRemoved: string[] };
}

/** `config` is JSON: compared as data, so Jira re-serialising it (key order, spacing) is no change. */
function sameParam(name: string, a: string | undefined, b: string | undefined): boolean {
  // An empty parameter Jira does not echo back is the same as the empty one set-up sent.
  if (a === b || ((a ?? '') === '' && (b ?? '') === '')) return true;
  if (name !== 'config' || a === undefined || b === undefined) return false;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

/** An existing rule equals the wanted one when it has every parameter set-up sets, with the same value; Jira may add others. */
export function sameRule(existing: RuleDoc, wanted: RuleDoc): boolean {
  if (existing.ruleKey !== wanted.ruleKey) return false;
  const have = existing.parameters ?? {};
  return Object.entries(wanted.parameters ?? {}).every(([k, v]) => sameParam(k, have[k], v));
}

/** The wanted rules, each one kept as it is in Jira (its id, any parameter Jira added) when an equal one is there. */
function ownRules(existing: readonly RuleDoc[], wanted: readonly RuleDoc[]): RuleDoc[] {
  const pool = [...existing];
  return wanted.map((w) => {
    const i = pool.findIndex((e) => sameRule(e, w));
    if (i < 0) return { ruleKey: w.ruleKey, parameters: { ...(w.parameters ?? {}) } };
    const [hit] = pool.splice(i, 1);
    return hit as RuleDoc;
  });
}

function mergeRules(existing: readonly RuleDoc[], wanted: readonly RuleDoc[], isOwnRule: (r: RuleDoc) => boolean): RuleDoc[] {
  const theirs = existing.filter((r) => !isOwnRule(r));
  return [...ownRules(existing.filter(isOwnRule), wanted), ...theirs];
}

function allRules(t: TransitionDoc): RuleDoc[] {
  const inGroup = (g: ConditionGroupDoc | null | undefined): RuleDoc[] => (g ? [...(g.conditions ?? []), ...(g.conditionGroups ?? []).flatMap(inGroup)] : []);
  return [...inGroup(t.conditions), ...t.validators, ...t.actions];
}

/**
 * Conditions: set-up's rules sit in the top group (ALL, as set-up creates it); someone else's top-level
 * conditions and nested groups stay beside them.
 */
function mergeConditions(existing: ConditionGroupDoc | null | undefined, wanted: ConditionGroupDoc | null | undefined, isOwnRule: (r: RuleDoc) => boolean): ConditionGroupDoc | undefined {
  const theirs = (existing?.conditions ?? []).filter((r) => !isOwnRule(r));
  const nested = existing?.conditionGroups ?? [];
  const own = ownRules((existing?.conditions ?? []).filter(isOwnRule), wanted?.conditions ?? []);
  const conditions = [...own, ...theirs];
  if (conditions.length === 0 && nested.length === 0 && !wanted) return undefined;
  return {
    operation: wanted?.operation ?? existing?.operation ?? 'ALL',
    conditions,
    ...(nested.length > 0 ? { conditionGroups: nested } : {}),
  };
}

function mergeTransition(existing: TransitionDoc | undefined, wanted: TransitionDoc, isOwnRule: (r: RuleDoc) => boolean): TransitionDoc {
  const ports = new Map((existing?.links ?? []).map((l) => [l.fromStatusReference, l]));
  const conditions = mergeConditions(existing?.conditions, wanted.conditions, isOwnRule);
  return {
    id: wanted.id,
    name: wanted.name,
    description: wanted.description ?? '',
    type: wanted.type,
    toStatusReference: wanted.toStatusReference,
    links: wanted.links.map((l) => {
      const had = ports.get(l.fromStatusReference);
      return { fromStatusReference: l.fromStatusReference, ...(had?.fromPort === undefined ? {} : { fromPort: had.fromPort }), ...(had?.toPort === undefined ? {} : { toPort: had.toPort }) };
    }),
    ...(conditions ? { conditions } : {}),
    validators: mergeRules(existing?.validators ?? [], wanted.validators, isOwnRule),
    actions: mergeRules(existing?.actions ?? [], wanted.actions, isOwnRule),
    properties: { ...(existing?.properties ?? {}), ...wanted.properties },
  };
}

/** What set-up compares: everything it writes, rule ids and parameters Jira adds excepted (they are carried over when equal). */
function comparable(t: TransitionDoc): unknown {
  const rule = (r: RuleDoc) => ({ id: r.id ?? null, ruleKey: r.ruleKey, parameters: r.parameters ?? {} });
  const group = (g: ConditionGroupDoc | null | undefined): unknown =>
    g && ((g.conditions ?? []).length > 0 || (g.conditionGroups ?? []).length > 0)
      ? { operation: g.operation, conditions: (g.conditions ?? []).map(rule), conditionGroups: (g.conditionGroups ?? []).map(group) }
      : null;
  return {
    id: t.id,
    name: t.name,
    description: t.description ?? '',
    type: t.type,
    to: t.toStatusReference,
    links: [...t.links].map((l) => [l.fromStatusReference, l.fromPort ?? null, l.toPort ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    conditions: group(t.conditions),
    validators: t.validators.map(rule),
    actions: t.actions.map(rule),
    properties: t.properties,
  };
}

/**
 * Brings `current` (as read from Jira) to `wanted` (as set-up builds it now, from the same generator as a fresh
 * set-up): answers the whole workflow to send back, and whether anything differs at all — when nothing does,
 * set-up writes nothing (a second run, a redelivered upgrade event, an up-to-date site).
 */
export function planWorkflowUpdate(current: WorkflowDoc, wanted: WorkflowDoc, isOwnRule: (r: RuleDoc) => boolean): WorkflowUpdatePlan {
  const byId = new Map(current.transitions.map((t) => [t.id, t]));
  const wantedIds = new Set(wanted.transitions.map((t) => t.id));
  const statusesAdded = wanted.statuses.filter((s) => !current.statuses.includes(s));
  const statuses = [...current.statuses, ...statusesAdded];
  const changedTransitions: string[] = [];
  const transitionsRemoved: string[] = [];
  const transitions: TransitionDoc[] = [];
  for (const t of current.transitions) {
    if (wantedIds.has(t.id)) continue;
    if (allRules(t).some(isOwnRule)) transitionsRemoved.push(t.id);
    else transitions.push(t);
  }
  for (const w of wanted.transitions) {
    const had = byId.get(w.id);
    const merged = mergeTransition(had, w, isOwnRule);
    if (!had || canonical(comparable(had)) !== canonical(comparable(merged))) changedTransitions.push(w.id);
    transitions.push(merged);
  }
  // Transitions in the order set-up creates them, then anyone else's, so the document stays stable.
  const order = new Map(wanted.transitions.map((t, i) => [t.id, i]));
  transitions.sort((a, b) => (order.get(a.id) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.id) ?? Number.MAX_SAFE_INTEGER));
  const upToDate = changedTransitions.length === 0 && statusesAdded.length === 0 && transitionsRemoved.length === 0;
  return {
    upToDate,
    next: upToDate ? current : { statuses, transitions },
    changed: { transitions: changedTransitions, statusesAdded, transitionsRemoved },
  };
}

/** JSON with object keys sorted, for comparing data regardless of key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A rule pointing at one of this app's modules in this environment (`ari:cloud:ecosystem::extension/{app}/{env}/static/…`). */
export function ownRuleOf(extensionPrefix: string): (r: RuleDoc) => boolean {
  return (r) => r.ruleKey.startsWith('forge:') && (r.parameters?.key ?? '').startsWith(extensionPrefix);
}
