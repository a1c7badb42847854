import { startWorld, type World } from '../support/release-world';
import { CMDB_TASK_PROPERTY } from '../../src/jira/links';
import { adfPlainText, type AdfDocument } from '../../src/domain/cmdb-task';
import { registeredDslItem } from '../../src/domain/dsl';
import { raiseCmdbTaskFor } from '../../src/services/jira-mirror';
import { putDslItem } from '../../src/storage/dsl';
import { Changes } from '../../src/storage/store';

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
    const again = await w.platform.run(() => raiseCmdbTaskFor({ release, team: null, fallbackPlan: null, trainingTasks: [], dslItems: [] }, null));
    expect(again.value).toBe(marker!.key);
    expect(w.jira.state.issues().length).toBe(issuesBefore);
  });

  it('the task lists the configuration items deployed, with name, version and checksum, and names the release', async () => {
    const id = await w.releaseAt('VERIFYING');
    // The world links a summary `dsl-billing-2-0`; give it its library record, as the DSL would have it.
    await w.platform.run(async () => {
      const changes = new Changes();
      const item = registeredDslItem({
        id: 'dsl-billing-2-0',
        projectId: w.project.id,
        fields: { name: 'billing', version: '2.0', sha256: 'c'.repeat(64), sizeBytes: 5_000_000, licence: 'MIT', vendor: 'Acme', storageUri: 's3://dsl/billing-2.0.tgz', mediaType: 'application/gzip', cmdbCiRef: 'CI-BILLING' },
        releaseIds: [id],
        supersedesItemId: null,
        at: Date.now(),
        by: 'acc-scl',
        importId: null,
      });
      putDslItem(changes, { ...item, status: 'IN_LIBRARY', checkedInAt: Date.now() }, null, Date.now());
      await changes.commit();
    });
    await w.act('operations', id, 'release/verifyAndClose');
    const release = (await w.stored(id)).release;
    const marker = w.jira.getIssue(id)?.properties[CMDB_TASK_PROPERTY] as { key?: string } | undefined;
    const task = w.jira.getIssue(marker!.key!);
    const text = adfPlainText(task?.fields.description as unknown as AdfDocument);
    expect(text).toContain(`Release ${release.issueKey} closed successfully`);
    expect(text).toContain(`CI-BILLING | billing | 2.0 | ${'c'.repeat(64)} | 5000000 | s3://dsl/billing-2.0.tgz`);
  });

  it('raises no CMDB task for a rolled-back release', async () => {
    const id = await w.releaseAt('ROLLING_BACK');
    await w.act('implementer', id, 'release/completeFallback');
    expect((await w.stored(id)).release.outcome).toBe('ROLLED_BACK');
    expect(w.jira.getIssue(id)?.properties[CMDB_TASK_PROPERTY]).toBeUndefined();
  });
});
