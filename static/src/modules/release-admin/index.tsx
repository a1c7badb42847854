import Heading from '@atlaskit/heading';
import { Box, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import { ErrorState, Loading, ModuleFrame, ResolverError, useAsync, useI18n } from '../../shared';
import { ProjectPicker } from '../../shared/ui/ProjectPicker';
import { getSetupStatus } from './api';
import { PipelineTokensSection } from './PipelineTokensSection';
import { PolicySection } from './PolicySection';
import { RoleMappingSection } from './RoleMappingSection';
import { SetupSection } from './SetupSection';

/**
 * The admin page: set-up of a project with progress per step, the mapping of standing roles onto Jira
 * project roles, and the project's policy. Jira gives a global admin page no project, so the admin picks one.
 */
export default function ReleaseAdmin() {
  const { t } = useI18n();
  const [projectId, setProjectId] = useState('');
  return (
    <ModuleFrame title={t('admin.title')}>
      <Stack space="space.300">
        <Box>
          <ProjectPicker
            id="rg-admin-project"
            includeNotSetUp
            value={projectId}
            onChange={setProjectId}
            words={{
              picker: t('admin.projectPicker'),
              pickerHint: t('admin.projectPickerHint'),
              choose: t('admin.projectChoose'),
              option: (p) => t(p.setUp ? 'admin.projectOption' : 'admin.projectOptionNotSetUp', { key: p.key, name: p.name }),
              listFailed: t('admin.projectListFailed'),
              label: t('admin.projectLabel'),
              hint: t('admin.projectHint'),
              invalid: t('admin.projectInvalid'),
            }}
          />
        </Box>
        {projectId ? <ProjectAdmin key={projectId} projectId={projectId} /> : null}
      </Stack>
    </ModuleFrame>
  );
}

const notAdmin = (err: unknown): boolean => err instanceof ResolverError && err.code === 'NOT_PROJECT_ADMIN';

function ProjectAdmin({ projectId }: { projectId: string }) {
  const { t } = useI18n();
  const status = useAsync(() => getSetupStatus({ projectId }), [projectId]);
  return (
    <Stack space="space.300">
      <Box as="section" aria-labelledby="rg-admin-setup">
        <Stack space="space.150">
          <Heading size="small" as="h2" id="rg-admin-setup">
            {t('admin.setup.title')}
          </Heading>
          {status.status === 'loading' ? <Loading /> : null}
          {status.status === 'error' && notAdmin(status.error) ? (
            // Expected for a release manager who is no project admin: they still keep pipeline tokens below.
            <Text as="p" color="color.text.subtle" testId="rg-setup-not-admin">
              {(status.error as Error).message}
            </Text>
          ) : null}
          {status.status === 'error' && !notAdmin(status.error) ? <ErrorState error={status.error} onRetry={status.reload} /> : null}
          {status.status === 'ready' ? <SetupSection projectId={projectId} status={status.data} onChanged={status.reload} /> : null}
        </Stack>
      </Box>
      {status.status === 'ready' ? (
        <>
          <Box as="section" aria-labelledby="rg-admin-roles">
            <RoleMappingSection headingId="rg-admin-roles" projectId={projectId} status={status.data} onSaved={status.reload} />
          </Box>
          <Box as="section" aria-labelledby="rg-admin-policy">
            <PolicySection headingId="rg-admin-policy" projectId={projectId} status={status.data} onSaved={status.reload} />
          </Box>

        </>
      ) : null}
      {status.status !== 'loading' ? (
        <Box as="section" aria-labelledby="rg-admin-pipelines">
          <PipelineTokensSection headingId="rg-admin-pipelines" projectId={projectId} />
        </Box>
      ) : null}
    </Stack>
  );
}
