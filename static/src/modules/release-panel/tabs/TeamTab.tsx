import { Stack, Text } from '@atlaskit/primitives';
import { useI18n } from '../../../shared';
import { ActionForm } from '../ActionForm';
import { FIELD_LIMITS } from '../../../../../src/contracts/limits';
import { BOUNDS } from '../api';
import { usePanel } from '../context';
import { ActionRow, Details, Empty, Section, SimpleTable } from '../layout';
import { knownPeople } from '../people';

const RATINGS = Array.from({ length: FIELD_LIMITS.ratingMax - FIELD_LIMITS.ratingMin + 1 }, (_, i) => FIELD_LIMITS.ratingMin + i);
const TEAM_ROLES = ['LEAD', 'IMPLEMENTER', 'TRAINING_LEAD', 'SOFTWARE_CONTROL_LEAD', 'TEST_EXPERT'] as const;
const STANDING_ROLES = ['PROCESS_OWNER', 'RELEASE_MANAGER', 'RELEASE_LEAD', 'TRAINING_LEAD', 'SOFTWARE_CONTROL_LEAD', 'BUSINESS_LEAD', 'OPERATIONS_LEAD'] as const;

export function TeamTab() {
  const { view, vocab, person } = usePanel();
  const { t, format } = useI18n();
  const team = view.team;
  const people = knownPeople(view);
  const when = (ms: number | null) => (ms === null ? '—' : format.dateTime(ms));
  const teamRoleOptions = TEAM_ROLES.map((r) => ({ value: r, label: vocab.word('role', r) }));
  const evaluationRoles = [...new Set<string>([...TEAM_ROLES, ...STANDING_ROLES])].map((r) => ({ value: r, label: `${vocab.word('role', r)} (${r})` }));
  return (
    <Stack space="space.300">
      <Section title={t('panel.team.title')} testId="rg-team">
        {!team ? (
          <Empty>{t('panel.team.notFormed')}</Empty>
        ) : (
          <Stack space="space.150">
            <Details
              items={[
                [t('panel.team.formed'), when(team.formedAt)],
                [t('panel.team.dissolved'), team.dissolvedAt === null ? t('panel.team.active') : when(team.dissolvedAt)],
              ]}
            />
            {team.members.length === 0 ? (
              <Empty>{t('panel.team.noMembers')}</Empty>
            ) : (
              <SimpleTable
                caption={t('panel.team.title')}
                testId="rg-team-members"
                head={[t('panel.team.person'), t('panel.team.role'), t('panel.team.joined'), t('panel.team.left')]}
                rows={team.members.map((m) => [person(m.accountId), vocab.word('role', m.teamRole), when(m.joinedAt), m.leftAt === null ? <Text color="color.text.success">{t('panel.team.current')}</Text> : when(m.leftAt)])}
              />
            )}
          </Stack>
        )}
      </Section>
      <Section title={t('panel.team.changes')}>
        <ActionRow>
          <ActionForm
            action="changeTeam"
            fields={[
              { kind: 'select', name: 'op', label: t('panel.fields.teamOp'), required: true, initial: 'ADD', options: [{ value: 'ADD', label: t('panel.team.add') }, { value: 'REMOVE', label: t('panel.team.remove') }] },
              { kind: 'account', name: 'accountId', label: t('panel.fields.accountId'), required: true, suggestions: people },
              { kind: 'select', name: 'teamRole', label: t('panel.fields.teamRole'), required: true, options: teamRoleOptions },
            ]}
          />
          <ActionForm action="addImplementer" fields={[{ kind: 'account', name: 'accountId', label: t('panel.fields.accountId'), required: true, suggestions: people }]} />
          <ActionForm
            action="evaluateParticipant"
            fields={[
              { kind: 'account', name: 'accountId', label: t('panel.fields.accountId'), required: true, suggestions: people },
              { kind: 'select', name: 'role', label: t('panel.fields.evaluationRole'), required: true, options: evaluationRoles },
              { kind: 'select', name: 'rating', label: t('panel.fields.rating'), required: true, options: RATINGS.map((n) => ({ value: String(n), label: t('panel.team.rating', { n }) })) },
              { kind: 'textarea', name: 'note', label: t('panel.fields.note'), max: BOUNDS.text },
            ]}
            toPayload={(v) => ({ note: '', ...v, rating: Number(v.rating) })}
          />
        </ActionRow>
      </Section>
    </Stack>
  );
}
