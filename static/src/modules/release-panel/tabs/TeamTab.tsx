import { Stack, Text } from '@atlaskit/primitives';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { ActionForm } from '../ActionForm';
import { FIELD_LIMITS } from '../../../../../src/contracts/limits';
import { BOUNDS, listReleaseEvaluations } from '../api';
import { usePanel } from '../context';
import { ActionRow, Details, Empty, Section, SimpleTable } from '../layout';
import { knownPeople } from '../people';
import type { PeoplePool } from '../../../shared/ui/PersonField';
import { TEAM_ROLE_POOL } from '../../../../../src/domain/roles';

const RATINGS = Array.from({ length: FIELD_LIMITS.ratingMax - FIELD_LIMITS.ratingMin + 1 }, (_, i) => FIELD_LIMITS.ratingMin + i);
const TEAM_ROLES = ['LEAD', 'IMPLEMENTER', 'TRAINING_LEAD', 'SOFTWARE_CONTROL_LEAD', 'TEST_EXPERT'] as const;
type TeamRole = (typeof TEAM_ROLES)[number];
/** The pool a team role is filled from: the domain's standing pool, else anyone who can browse (the server decides). */
const poolOf = (role: TeamRole): PeoplePool => TEAM_ROLE_POOL[role] ?? 'BROWSERS';
const STANDING_ROLES = ['PROCESS_OWNER', 'RELEASE_MANAGER', 'RELEASE_LEAD', 'TRAINING_LEAD', 'SOFTWARE_CONTROL_LEAD', 'BUSINESS_LEAD', 'OPERATIONS_LEAD'] as const;

export function TeamTab() {
  const { view, vocab, person } = usePanel();
  const { t, format } = useI18n();
  const team = view.team;
  const people = knownPeople(view);
  const when = (ms: number | null) => (ms === null ? '—' : format.dateTime(ms));
  const members = (role: TeamRole | undefined) => [...new Set((team?.members ?? []).filter((m) => m.leftAt === null && (!role || m.teamRole === role)).map((m) => m.accountId))];
  const everMembers = [...new Set((team?.members ?? []).map((m) => m.accountId))];
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
      <Evaluations />
      <Section title={t('panel.team.changes')}>
        <ActionRow>
          <ActionForm
            action="changeTeam"
            fields={(values) => {
              const removing = values.op === 'REMOVE';
              const role = values.teamRole as TeamRole | undefined;
              return [
                { kind: 'select', name: 'op', label: t('panel.fields.teamOp'), required: true, initial: 'ADD', options: [{ value: 'ADD', label: t('panel.team.add') }, { value: 'REMOVE', label: t('panel.team.remove') }] },
                { kind: 'select', name: 'teamRole', label: t('panel.fields.teamRole'), required: true, options: teamRoleOptions },
                // Adding: the role's pool (a standing role's members, or anyone who can browse). Removing: the team.
                removing
                  ? { kind: 'person', name: 'accountId', label: t('panel.fields.accountId'), required: true, pool: 'BROWSERS', suggestions: members(role) }
                  : { kind: 'person', name: 'accountId', label: t('panel.fields.accountId'), required: true, pool: role ? poolOf(role) : 'BROWSERS', suggestions: people },
              ];
            }}
          />
          <ActionForm action="addImplementer" fields={[{ kind: 'person', name: 'accountId', label: t('panel.fields.accountId'), required: true, pool: 'BROWSERS', suggestions: people }]} />
          <ActionForm
            action="evaluateParticipant"
            fields={[
              { kind: 'person', name: 'accountId', label: t('panel.fields.accountId'), required: true, pool: 'BROWSERS', suggestions: everMembers },
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

/** The release's participant evaluations: a release manager sees all of them, anyone else their own only. */
function Evaluations() {
  const { view, vocab, person } = usePanel();
  const { t, format } = useI18n();
  const manager = view.actor.standingRoles.includes('RELEASE_MANAGER');
  const data = useAsync(() => listReleaseEvaluations({ projectId: view.projectId, releaseId: view.releaseId, limit: 50 }), [view.releaseId, view.release.version]);
  return (
    <Section title={t('panel.evaluations.title')} testId="rg-evaluations">
      <Text as="p" size="small" color="color.text.subtle">
        {manager ? t('panel.evaluations.introManager') : t('panel.evaluations.introPerson')}
      </Text>
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'ready' && data.data.items.length === 0 ? <Empty>{manager ? t('panel.evaluations.none') : t('panel.evaluations.noneMine')}</Empty> : null}
      {data.status === 'ready' && data.data.items.length > 0 ? (
        <SimpleTable
          caption={t('panel.evaluations.title')}
          testId="rg-evaluations-table"
          head={[t('panel.team.person'), t('panel.fields.evaluationRole'), t('panel.fields.rating'), t('panel.fields.note'), t('panel.evaluations.by')]}
          rows={data.data.items.map((e) => [
            person(e.accountId),
            vocab.word('role', e.role),
            t('panel.team.rating', { n: e.rating }),
            e.note || '—',
            <>
              {person(e.evaluatedBy)} · {format.dateTime(e.evaluatedAt)}
            </>,
          ])}
        />
      ) : null}
    </Section>
  );
}
