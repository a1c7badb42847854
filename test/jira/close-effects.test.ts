import { startWorld, type World } from '../support/release-world';
import { CMDB_TASK_PROPERTY } from '../../src/jira/links';
import { raiseCmdbTaskFor } from '../../src/effects';

/**
 * What closing a release sets off in Jira (SPEC §3: "on close: CMDB-update task raised"), and the link from
 * a release request to the change request it came from.
 */
describe('Jira follow-up of a release', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('links a submitted release request to its change request', async () => {
    const id = await w.releaseAt('SUBMITTED');
    const release = (await w.stored(id)).release;
    const links = w.jira.state.linksOf(Number(id));
    expect(links).toHaveLength(1);
    const change = w.jira.getIssue(release.linkedChangeKey!);
    expect([links[0]?.inwardIssueId, links[0]?.outwardIssueId]).toContain(change?.id);
  });

  it('raises one CMDB-update task, linked to the release, when it closes successfully', async () => {
    const id = await w.releaseAt('CLOSED');
    const release = (await w.stored(id)).release;
    expect(release.outcome).toBe('SUCCESS');
    const marker = w.jira.getIssue(id)?.properties[CMDB_TASK_PROPERTY] as { key?: string } | undefined;
    expect(marker?.key).toMatch(/^RG-\d+$/);
    const task = w.jira.getIssue(marker!.key!);
    expect(task?.summary).toContain(release.issueKey);
    expect(task?.summary).toContain('CMDB');
    expect(w.jira.state.linksOf(Number(id)).some((l) => l.inwardIssueId === task?.id || l.outwardIssueId === task?.id)).toBe(true);
    // Asked again (a retried close effect, a replayed event): the same task, nothing new.
    const issuesBefore = w.jira.state.issues().length;
    const again = await w.platform.run(() => raiseCmdbTaskFor({ release }, null));
    expect(again.value).toBe(marker!.key);
    expect(w.jira.state.issues().length).toBe(issuesBefore);
  });

  it('raises no CMDB task for a rolled-back release', async () => {
    const id = await w.releaseAt('ROLLING_BACK');
    await w.act('implementer', id, 'release/completeFallback');
    expect((await w.stored(id)).release.outcome).toBe('ROLLED_BACK');
    expect(w.jira.getIssue(id)?.properties[CMDB_TASK_PROPERTY]).toBeUndefined();
  });
});
