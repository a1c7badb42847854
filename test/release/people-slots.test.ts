import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { TeamRole } from '../../src/domain/roles';
import { DAY, P, startWorld, type Persona, type Reply, type World } from '../support/release-world';

/**
 * Every slot a person is put into asks Jira whether the account exists and may browse the project; an
 * account Jira does not know, or one that cannot browse, is refused with its own reason (in the user's
 * language) and nothing is written.
 */

const GHOST = 'ghost-0000';

type Attempt = (account: string) => Promise<Reply>;

describe('people in slots: unknown and non-browsing accounts refused', () => {
  let w: World;
  let submitted: string;
  let planning: string;
  beforeAll(async () => {
    w = startWorld();
    // A Jira user who can browse nothing in RG: exists, but may not take part.
    w.jira.addUser({ accountId: 'acc-nobrowse', displayName: 'Nora Nobrowse' });
    submitted = await w.releaseAt('SUBMITTED');
    planning = await w.releaseAt('PLANNING', { skip: ['addTester', 'addImplementer', 'training'] });
  });
  afterAll(() => w.close());

  const onRelease = async (who: Persona, releaseId: string, key: string, payload: Record<string, unknown>): Promise<Reply> =>
    (await w.onRelease(who, releaseId, key, { releaseId, expectedVersion: await w.version(releaseId), ...payload })).value;

  const TEAM_ROLES: TeamRole[] = ['LEAD', 'IMPLEMENTER', 'TRAINING_LEAD', 'SOFTWARE_CONTROL_LEAD', 'TEST_EXPERT'];
  const slots: [string, Attempt][] = [
    ['release lead (assignLead)', (a) => onRelease('manager', submitted, K.assignLead, { leadAccountId: a })],
    ...TEAM_ROLES.map((role): [string, Attempt] => [`team ${role} (team/change)`, (a) => onRelease('manager', planning, K.changeTeam, { op: 'ADD', accountId: a, teamRole: role })]),
    ['implementer (team/addImplementer)', (a) => onRelease('lead', planning, K.addImplementer, { accountId: a })],
    ['trainer of a new training task', (a) => onRelease('trainer', planning, K.manageTraining, { op: 'CREATE', audience: 'END_USER', trainerAccountId: a, dueAt: Date.now() + 3 * DAY })],
    [
      'owner of a fallback step',
      (a) =>
        onRelease('lead', planning, K.editFallbackPlan, {
          triggerCriteria: 'Error rate above 2%',
          steps: [{ action: 'Redeploy', ownerAccountId: a, expectedMinutes: 15 }],
          restoreDslItemId: null,
          dataBackupRef: 'backup-1',
        }),
    ],
    ['owner of an improvement action', async (a) => (await w.onProject('owner', K.manageImprovementActions, { op: 'CREATE', projectId: w.project.id, title: 'Shorter reviews', ownerAccountId: a, dueAt: Date.now() + 30 * DAY })).value],
  ];

  describe.each(slots)('%s', (_name, attempt) => {
    it('refuses an account Jira does not know, changing nothing', async () => {
      const before = w.snapshot();
      const res = await attempt(GHOST);
      expect(res).toMatchObject({ ok: false, error: { code: 'TARGET_UNKNOWN_ACCOUNT' } });
      if (!res.ok) {
        expect(res.error.reasons).toContain('TARGET_UNKNOWN_ACCOUNT');
        expect(res.error.message).toMatch(/Jira has no such account/);
      }
      expect(w.snapshot()).toEqual(before);
    });

    it('refuses a person who cannot browse the project, changing nothing', async () => {
      const before = w.snapshot();
      const res = await attempt('acc-nobrowse');
      expect(res).toMatchObject({ ok: false, error: { code: 'TARGET_CANNOT_BROWSE' } });
      if (!res.ok) expect(res.error.reasons).toContain('TARGET_CANNOT_BROWSE');
      expect(w.snapshot()).toEqual(before);
    });
  });

  it('refuses a pool member whose browse permission was taken away (the role alone is not enough)', async () => {
    w.jira.revokeBrowse('RG', P.trainer);
    try {
      const before = w.snapshot();
      const res = await onRelease('manager', planning, K.changeTeam, { op: 'ADD', accountId: P.trainer, teamRole: 'TEST_EXPERT' });
      expect(res).toMatchObject({ ok: false, error: { code: 'TARGET_CANNOT_BROWSE' } });
      expect(w.snapshot()).toEqual(before);
    } finally {
      w.jira.grantBrowse('RG', P.trainer);
    }
  });

  it('still lets the manager remove a member whatever Jira says of the account now', async () => {
    const id = await w.releaseAt('PLANNING', { skip: ['addImplementer', 'training'] });
    w.jira.revokeBrowse('RG', P.tester);
    try {
      const res = await onRelease('manager', id, K.changeTeam, { op: 'REMOVE', accountId: P.tester, teamRole: 'TEST_EXPERT' });
      expect(res.ok).toBe(true);
    } finally {
      w.jira.grantBrowse('RG', P.tester);
    }
  });

  it('accepts a person who can browse, and explains a refusal in Chinese to a Chinese user', async () => {
    expect((await onRelease('manager', planning, K.changeTeam, { op: 'ADD', accountId: P.tester, teamRole: 'TEST_EXPERT' })).ok).toBe(true);
    const zh = await w.platform.invoke<Reply>(
      'resolver',
      {
        call: { functionKey: K.addImplementer, payload: { releaseId: planning, expectedVersion: await w.version(planning), accountId: GHOST } },
        context: { locale: 'zh_CN', extension: { type: 'jira:issuePanel', issue: { id: planning }, project: { id: w.project.id, key: 'RG' } } },
      },
      { accountId: P.lead, moduleKey: 'release-panel' },
    );
    expect(zh.value).toMatchObject({ ok: false, error: { code: 'TARGET_UNKNOWN_ACCOUNT' } });
    if (!zh.value.ok) expect(zh.value.error.message).toMatch(/Jira 中没有这个账户/);
  });

  it('asks Jira once for a person who may take part', async () => {
    const id = await w.releaseAt('PLANNING', { skip: ['addImplementer', 'training'] });
    const expectedVersion = await w.version(id);
    const from = w.jira.requestLog.length;
    const res = await w.onRelease('lead', id, K.addImplementer, { releaseId: id, expectedVersion, accountId: P.implementer });
    expect(res.value.ok).toBe(true);
    const asked = w.jira.requestLog.slice(from).filter((r) => r.path.includes('/rest/api/3/user'));
    expect(asked.map((r) => r.path.split('?')[0])).toEqual(['/rest/api/3/user/permission/search']);
  });
});

describe('asking Jira about a person when Jira fails', () => {
  let w: World;
  let id: string;
  beforeAll(async () => {
    w = startWorld();
    id = await w.releaseAt('PLANNING', { skip: ['addImplementer', 'training'] });
  });
  afterAll(() => w.close());

  const add = async () => (await w.onRelease('lead', id, K.addImplementer, { releaseId: id, expectedVersion: await w.version(id), accountId: P.implementer })).value;

  it('writes nothing while Jira cannot answer, then takes the person once it can', async () => {
    const before = w.snapshot();
    w.jira.injectFault({ pathPattern: '/rest/api/3/user/permission/search', status: 503, times: Infinity });
    const failed = await add();
    w.jira.clearFaults();
    expect(failed.ok).toBe(false);
    expect(w.snapshot()).toEqual(before);
    // A passing 429 is retried within the invocation: the person is added, once.
    w.jira.injectFault({ pathPattern: '/rest/api/3/user/permission/search', status: 429, retryAfterSeconds: 0, times: 1 });
    expect((await add()).ok).toBe(true);
    const implementers = (await w.stored(id)).team?.members.filter((m) => m.teamRole === 'IMPLEMENTER' && m.leftAt === null) ?? [];
    expect(implementers.map((m) => m.accountId)).toEqual([P.implementer]);
  });
});

describe('people/search: the picker searches the right pool', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
    w.jira.addUser({ accountId: 'acc-sofia', displayName: 'Sofia Martins' });
    w.jira.grantBrowse('RG', 'acc-sofia');
    w.jira.addUser({ accountId: 'acc-sofia-out', displayName: 'Sofia Outside' });
  });
  afterAll(() => w.close());

  type Person = { accountId: string; displayName: string; avatarUrl?: string };
  const search = async (who: Persona, pool: string, query: string) => (await w.onProject<Person[]>(who, K.searchPeople, { projectId: w.project.id, pool, query })).value;

  it('finds people who can browse the project by what the user types, with names and avatars', async () => {
    const res = await search('manager', 'BROWSERS', 'martins');
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data.map((p) => p.displayName)).toEqual(['Sofia Martins']);
    expect(res.data[0]?.avatarUrl).toMatch(/^http/);
    // "sof" is the start of two names here; Sofia Outside exists in Jira but cannot browse RG.
    const sof = await search('manager', 'BROWSERS', 'sof');
    expect(sof.ok && sof.data.map((p) => p.displayName).sort()).toEqual(['Sofia Martins', 'softwareControl']);
  });

  it('offers only the project role’s members for a standing pool', async () => {
    const res = await search('manager', 'RELEASE_LEAD', '');
    expect(res).toMatchObject({ ok: true, data: [{ accountId: P.lead, displayName: 'lead' }] });
    expect(await search('manager', 'RELEASE_LEAD', 'sofia')).toMatchObject({ ok: true, data: [] });
  });

  it('refuses someone who cannot browse the project', async () => {
    expect(await search('outsider', 'BROWSERS', 'sof')).toMatchObject({ ok: false, error: { code: 'CANNOT_BROWSE' } });
  });
});

describe('raising a release request', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  const raise = async (who: Persona, change: { id: string; key: string }, extra: Record<string, unknown> = {}) =>
    (
      await w.platform.invokeResolver<Reply<{ id: string; issueKey?: string }>>({
        moduleKey: 'raise-release',
        functionKey: K.submitRelease,
        accountId: P[who],
        extension: { type: 'jira:issueAction', issue: { id: change.id, key: change.key }, project: { id: w.project.id, key: 'RG' } },
        payload: { projectId: w.project.id, linkedChangeKey: change.key, summary: 'Release: billing 2.1', ...extra },
      })
    ).value;
  const issueCount = () => w.jira.state.issues().length;

  it('refuses a raise from a Release Request issue, creating nothing in Jira or storage', async () => {
    const id = await w.releaseAt('SUBMITTED');
    const key = w.jira.getIssue(id)?.key ?? id;
    const before = w.snapshot();
    const issues = issueCount();
    const res = await raise('requester', { id, key });
    expect(res).toMatchObject({ ok: false, error: { code: 'RAISE_FROM_RELEASE_REQUEST', field: 'linkedChangeKey' } });
    expect(issueCount()).toBe(issues);
    expect(w.snapshot()).toEqual(before);
    const view = await w.onProject<{ isReleaseRequest: boolean; releases: unknown[] }>('requester', K.releasesOfChange, { projectId: w.project.id, changeKey: key });
    expect(view.value).toMatchObject({ ok: true, data: { isReleaseRequest: true, releases: [] } });
  });

  it('refuses a second raise from the same change request without a reason, and audits one with a reason', async () => {
    const change = w.jira.addIssue({ project: 'RG', issueType: 'Bug', summary: 'Change: rotate certificates', reporterAccountId: P.requester });
    const ref = { id: String(change.id), key: change.key };
    const first = await raise('requester', ref);
    expect(first.ok).toBe(true);

    const before = w.snapshot();
    const issues = issueCount();
    const again = await raise('requester', ref);
    expect(again).toMatchObject({ ok: false, error: { code: 'CHANGE_ALREADY_HAS_RELEASE', field: 'raiseAnotherReason' } });
    const blank = await raise('requester', ref, { raiseAnotherReason: '   ' });
    expect(blank).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'raiseAnotherReason' } });
    expect(issueCount()).toBe(issues);
    expect(w.snapshot()).toEqual(before);

    const second = await raise('requester', ref, { raiseAnotherReason: 'The first one was rejected for the wrong window' });
    expect(second.ok).toBe(true);
    if (!second.ok || !first.ok) return;
    const audit = await w.onProject<{ items: { action: string; after: Record<string, unknown> }[] }>('requester', K.listAudit, { projectId: w.project.id, releaseId: second.data.id });
    expect(audit.value.ok).toBe(true);
    if (audit.value.ok) {
      const event = audit.value.data.items[0];
      expect(event?.action).toBe('submitRelease');
      // Stored values may be summarised to text; either way they say what happened and why.
      expect(String(event?.after.raisedAnother)).toBe('true');
      expect(event?.after.reason).toBe('The first one was rejected for the wrong window');
      expect(String(event?.after.earlierReleases)).toContain(String(first.data.issueKey));
    }
    const view = await w.onProject<{ isReleaseRequest: boolean; releases: { id: string; summary?: string }[] }>('requester', K.releasesOfChange, { projectId: w.project.id, changeKey: change.key });
    expect(view.value).toMatchObject({ ok: true, data: { isReleaseRequest: false } });
    if (view.value.ok) {
      expect(view.value.data.releases.map((r) => r.id).sort()).toEqual([first.data.id, second.data.id].sort());
      expect(view.value.data.releases[0]?.summary).toBe('Release: billing 2.1');
    }
  });
});
