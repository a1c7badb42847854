import { resolve } from 'node:path';
import api, { route } from '@forge/api';
import { kvs } from '@forge/kvs';
import { createPlatform } from '../../sandbox';
import { jiraFactory } from '../../sandbox/jira';

/**
 * Backend calls are held to manifest.yml's `permissions.scopes`, as Forge holds them: a Jira operation whose
 * current OAuth scopes (the OpenAPI document's x-atlassian-oauth2-scopes) the manifest lacks is refused before
 * Jira sees it, and storage needs `storage:app`. The app's own manifest passes every other test under this check.
 */
const fixture = (name: string) => resolve(__dirname, '..', 'fixtures', name, 'manifest.yml');

describe('scopes on backend calls', () => {
  it('refuses a Jira call the manifest has no scope for, and lets one through that it has', async () => {
    const platform = createPlatform({ manifestPath: fixture('queue'), jira: jiraFactory() }); // storage:app only
    try {
      const denied = await platform.run(async () => {
        const res = await api.asApp().requestJira(route`/rest/api/3/myself`);
        return { status: res.status, body: await res.text() };
      });
      expect(denied.value.status).toBe(403);
      expect(denied.value.body).toContain('manifest.yml lacks the scope read:jira-user');
      expect(jiraRequests(platform)).toBe(0);
      await platform.run(() => kvs.set('allowed', true));
    } finally {
      platform.close();
    }
  });

  it('refuses storage to an app without storage:app', async () => {
    const platform = createPlatform({ manifestPath: fixture('jira'), jira: jiraFactory() });
    try {
      await expect(platform.run(() => kvs.set('x', 1))).rejects.toThrow(/storage:app/);
      const allowed = await platform.run(async () => (await api.asApp().requestJira(route`/rest/api/3/serverInfo`)).status);
      expect(allowed.value).not.toBe(403);
    } finally {
      platform.close();
    }
  });
});

function jiraRequests(platform: ReturnType<typeof createPlatform>): number {
  return (platform.jira as unknown as { requestLog: unknown[] }).requestLog.length;
}
