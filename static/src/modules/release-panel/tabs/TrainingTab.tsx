import Lozenge from '@atlaskit/lozenge';
import { Stack, Text } from '@atlaskit/primitives';
import { useI18n } from '../../../shared';
import { ActionForm } from '../ActionForm';
import { BOUNDS, type TrainingTask } from '../api';
import { usePanel } from '../context';
import { ActionRow, Empty, Section, SimpleTable, SubSection } from '../layout';
import { knownPeople } from '../people';
import { isOverdueTraining, isTrainingWithdrawn } from '../../../../../src/domain/training';

const AUDIENCES = ['END_USER', 'MAINTENANCE', 'HELP_DESK'] as const;

export function TrainingTab() {
  const { view, vocab, person, name } = usePanel();
  const { t, format } = useI18n();
  const tasks = view.trainingTasks;
  const people = knownPeople(view);
  const now = Date.now();
  const taskLabel = (task: TrainingTask) => t('panel.training.taskLabel', { audience: vocab.word('audience', task.audience), due: format.date(task.dueAt), trainer: name(task.trainerAccountId) });
  const taskOptions = (list: TrainingTask[]) => list.map((task) => ({ value: task.id, label: taskLabel(task) }));
  const delivery = (task: TrainingTask) => {
    if (task.deliveredAt !== null) {
      const onTime = task.deliveredAt <= task.dueAt;
      return (
        <Stack space="space.025">
          <Text>{format.dateTime(task.deliveredAt)}</Text>
          <Lozenge appearance={onTime ? 'success' : 'moved'}>{onTime ? t('panel.training.onTime') : t('panel.training.late')}</Lozenge>
        </Stack>
      );
    }
    const status = view.release?.status ?? null;
    if (isTrainingWithdrawn(status) && status) return <Lozenge appearance="default">{t('panel.training.withdrawn', { status: vocab.word('status', status) })}</Lozenge>;
    return isOverdueTraining(task, status, now) ? <Lozenge appearance="removed">{t('panel.training.overdue')}</Lozenge> : <Text color="color.text.subtle">{t('panel.training.notYet')}</Text>;
  };
  return (
    <Stack space="space.300">
      <Section title={t('panel.training.title')} testId="rg-training">
        {tasks.length === 0 ? (
          <Empty>{t('panel.training.none')}</Empty>
        ) : (
          <Stack space="space.200">
            {AUDIENCES.filter((a) => tasks.some((x) => x.audience === a)).map((audience) => (
              <SubSection key={audience} title={vocab.word('audience', audience)}>
                <SimpleTable
                  caption={vocab.word('audience', audience)}
                  testId={`rg-training-${audience}`}
                  head={[t('panel.training.trainer'), t('panel.training.due'), t('panel.training.delivered'), t('panel.training.results'), t('panel.training.feedback')]}
                  rows={tasks
                    .filter((x) => x.audience === audience)
                    .map((task) => [
                      person(task.trainerAccountId),
                      format.date(task.dueAt),
                      delivery(task),
                      task.assessed > 0
                        ? t('panel.training.passRate', { passed: format.number(task.passed), assessed: format.number(task.assessed), rate: format.percent(task.passed / task.assessed) })
                        : '—',
                      task.feedback.length === 0 ? (
                        '—'
                      ) : (
                        <ul style={{ margin: 0, paddingInlineStart: '1.2em' }}>
                          {task.feedback.map((f, i) => (
                            <li key={i}>{f}</li>
                          ))}
                        </ul>
                      ),
                    ])}
                />
              </SubSection>
            ))}
          </Stack>
        )}
      </Section>
      <Section title={t('panel.training.actions')}>
        <ActionRow>
          <ActionForm
            action="manageTraining"
            label={t('panel.training.create')}
            fields={[
              { kind: 'select', name: 'audience', label: t('panel.fields.audience'), required: true, options: AUDIENCES.map((a) => ({ value: a, label: vocab.word('audience', a) })) },
              { kind: 'person', name: 'trainerAccountId', label: t('panel.fields.trainer'), required: true, initial: view.actor.accountId, pool: 'BROWSERS', suggestions: people },
              { kind: 'datetime', name: 'dueAt', label: t('panel.fields.dueAt'), required: true },
            ]}
            toPayload={(v) => ({ op: 'CREATE', ...v })}
          />
          {tasks.length > 0 ? (
            <ActionForm
              action="manageTraining"
              label={t('panel.training.remove')}
              fields={[{ kind: 'select', name: 'taskId', label: t('panel.fields.task'), required: true, options: taskOptions(tasks) }]}
              toPayload={(v) => ({ op: 'DELETE', ...v })}
              confirm={t('panel.confirm.deleteTraining')}
            />
          ) : null}
          {tasks.length > 0 ? (
            <ActionForm
              action="recordTrainingDelivery"
              fields={[
                { kind: 'select', name: 'taskId', label: t('panel.fields.task'), required: true, options: taskOptions(tasks.filter((x) => x.deliveredAt === null)) },
                { kind: 'datetime', name: 'deliveredAt', label: t('panel.fields.deliveredAt'), required: true, initial: now },
              ]}
            />
          ) : null}
          {tasks.length > 0 ? (
            <ActionForm
              action="recordTrainingResult"
              fields={[
                { kind: 'select', name: 'taskId', label: t('panel.fields.task'), required: true, options: taskOptions(tasks) },
                { kind: 'number', name: 'assessed', label: t('panel.fields.assessed'), min: 0, max: BOUNDS.trainees, integer: true, required: true },
                { kind: 'number', name: 'passed', label: t('panel.fields.passed'), min: 0, max: BOUNDS.trainees, integer: true, required: true },
                { kind: 'lines', name: 'feedback', label: t('panel.fields.feedback'), maxItems: BOUNDS.listItems, maxEach: BOUNDS.text },
              ]}
              check={(v) => (Number(v.passed) <= Number(v.assessed) ? undefined : { field: 'passed', message: t('panel.form.passedOverAssessed') })}
            />
          ) : null}
        </ActionRow>
      </Section>
    </Stack>
  );
}
