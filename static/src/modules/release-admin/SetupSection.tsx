import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import { useEffect, useRef, useState } from 'react';
import { notify, useI18n, type MessageKey } from '../../shared';
import { getSetupStatus, setupProject, type SetupStatus, type SetupStep } from './api';

const STEP_TEXT: Record<string, MessageKey> = {
  roles: 'admin.step.roles',
  issueType: 'admin.step.issueType',
  issueTypeScheme: 'admin.step.issueTypeScheme',
  statuses: 'admin.step.statuses',
  workflow: 'admin.step.workflow',
  workflowScheme: 'admin.step.workflowScheme',
};

/** Set-up with its progress per step. While set-up runs, the progress record is polled so each step shows as it lands. */
export function SetupSection({ projectId, status, onChanged }: { projectId: string; status: SetupStatus; onChanged: () => void }) {
  const { t } = useI18n();
  const [running, setRunning] = useState(false);
  const [live, setLive] = useState<SetupStep[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearInterval(timer.current);
  }, []);

  const steps = live ?? status.steps;
  const mayRun = status.actor.canAdminister;
  const anyDone = steps.some((s) => s.done);

  async function run() {
    setRunning(true);
    setError(null);
    timer.current = setInterval(() => {
      getSetupStatus({ projectId }).then(
        (s) => setLive(s.steps),
        () => undefined,
      );
    }, 700);
    try {
      const result = await setupProject({ projectId });
      setLive(result.steps);
      const key = result.projectKey || status.projectKey;
      notify('success', result.workflow === 'updated' ? t('admin.setup.updatedFlag', { key }) : t('admin.setup.doneFlag', { key }));
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      getSetupStatus({ projectId }).then((s) => setLive(s.steps), () => undefined);
    } finally {
      if (timer.current) clearInterval(timer.current);
      timer.current = null;
      setRunning(false);
    }
  }

  const firstPending = steps.findIndex((s) => !s.done);
  // The workflow in Jira holds an earlier version's rules (or someone changed ours): re-running set-up updates it.
  const outOfDate = status.workflowRulesUpToDate === false && !running;
  return (
    <Stack space="space.150">
      <Text as="p" color="color.text.subtle">
        {status.complete ? t('admin.setup.complete', { key: status.projectKey }) : t('admin.setup.intro')}
      </Text>
      <Box as="ol" testId="rg-setup-steps" aria-live="polite">
        {steps.map((s, i) => (
          <Box as="li" key={s.step} paddingBlock="space.050" testId={`rg-setup-step-${s.step}`}>
            <Inline space="space.100" alignBlock="center">
              <Text>{STEP_TEXT[s.step] ? t(STEP_TEXT[s.step] as MessageKey) : s.step}</Text>
              {s.step === 'workflow' && outOfDate && live === null ? (
                <Lozenge appearance="moved" testId="rg-setup-rules-out-of-date">
                  {t('admin.setup.rulesOutOfDate')}
                </Lozenge>
              ) : s.done ? (
                <Lozenge appearance="success">{t('admin.setup.stepDone')}</Lozenge>
              ) : s.error ? (
                <Lozenge appearance="removed">{t('admin.setup.stepFailed')}</Lozenge>
              ) : running && i === firstPending ? (
                <Lozenge appearance="inprogress">{t('admin.setup.stepRunning')}</Lozenge>
              ) : (
                <Lozenge>{t('admin.setup.stepPending')}</Lozenge>
              )}
            </Inline>
            {s.error && !s.done ? (
              <Text as="p" size="small" color="color.text.danger">
                {s.error}
              </Text>
            ) : null}
          </Box>
        ))}
      </Box>
      {outOfDate && live === null ? (
        <Text as="p" color="color.text.warning" testId="rg-setup-rules-help">
          {t('admin.setup.rulesOutOfDateHelp')}
        </Text>
      ) : null}
      {error ? (
        <Text as="p" color="color.text.danger" testId="rg-setup-error">
          {error}
        </Text>
      ) : null}
      {!mayRun ? (
        <Text as="p" id="rg-setup-reason" size="small" color="color.text.subtle">
          {t('admin.setup.notAdmin')}
        </Text>
      ) : null}
      <Inline>
        <Button appearance="primary" isLoading={running} isDisabled={!mayRun} aria-describedby={!mayRun ? 'rg-setup-reason' : undefined} onClick={run} testId="rg-setup-run">
          {outOfDate && live === null ? t('admin.setup.update') : status.complete ? t('admin.setup.rerun') : anyDone ? t('admin.setup.resume') : t('admin.setup.run')}
        </Button>
      </Inline>
    </Stack>
  );
}
