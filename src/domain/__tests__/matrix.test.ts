/**
 * Every action × every persona. The expected matrix below is written by hand from SPEC §3 and the source
 * document; it is NOT derived from ACTION_TABLE. Each release action runs in a status where it applies and
 * with every gate met and a valid input, so the only thing that can differ between personas is who they are.
 */
import { ACTIONS, DEFAULT_POLICY, decide, type Action, type DecideExtras, type ReasonCode, type ReleaseStatus } from '..';
import { actor, fullCtx, ID, NOW, PERSONAS, type Persona } from './fixtures';

const CODE: Record<string, ReasonCode> = {
  PO: 'NOT_PROCESS_OWNER',
  RM: 'NOT_RELEASE_MANAGER',
  RL: 'NOT_RELEASE_LEAD',
  IM: 'NOT_TEAM_IMPLEMENTER',
  TL: 'NOT_TEAM_TRAINING_LEAD',
  TE: 'NOT_TEAM_TEST_EXPERT',
  SC: 'NOT_SOFTWARE_CONTROL_LEAD',
  BL: 'NOT_BUSINESS_LEAD',
  OL: 'NOT_OPERATIONS_LEAD',
  CB: 'CANNOT_BROWSE',
  SRA: 'SOD_REQUESTER_APPROVER',
  SIV: 'SOD_IMPLEMENTER_VERIFIER',
  SFE: 'SOD_REQUESTER_FREEZE_EXCEPTION',
  NP: 'NOT_PIPELINE',
};

// status "-" = project-level action, asked without a release.
// columns:                     owner  mgr  lead   impl   train  scl  test   biz  ops  req        view   out
const MATRIX = `
approve                 SUBMITTED    RM   ok   RM     RM     RM     RM   RM     RM   RM   RM+SRA     RM     CB
reject                  SUBMITTED    RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
startBuild              PLANNING     RL   RL   ok     RL     RL     RL   RL     RL   RL   RL         RL     CB
markReady               BUILD_TEST   RL   RL   ok     RL     RL     RL   RL     RL   RL   RL         RL     CB
startImplementation     READY        IM   IM   IM     ok     IM     IM   IM     IM   IM   IM         IM     CB
markDeployed            IMPLEMENTING IM   IM   IM     ok     IM     IM   IM     IM   IM   IM         IM     CB
invokeFallback          IMPLEMENTING RL   RL   ok     RL     RL     RL   RL     RL   RL   RL         RL     CB
completeFallback        ROLLING_BACK IM   IM   IM     ok     IM     IM   IM     IM   IM   IM         IM     CB
verifyAndClose          VERIFYING    OL   OL   OL     OL+SIV OL     OL   OL     OL   ok   OL         OL     CB
cancel                  PLANNING     RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
classify                SUBMITTED    RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
assignLead              SUBMITTED    RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
setWindow               PLANNING     RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
assessRisk              SUBMITTED    RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
changeTeam              PLANNING     RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
evaluateParticipant     CLOSED       RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
recordEmergencyOverride READY        RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
recordFreezeException   READY        RM   ok   RM     RM     RM     RM   RM     RM   RM   RM+SFE     RM     CB
pipelineCheck           READY        NP   NP   NP     NP     NP     NP   NP     NP   NP   NP         NP     CB
pipelineReport          IMPLEMENTING NP   NP   NP     NP     NP     NP   NP     NP   NP   NP         NP     CB
pipelineFinish          IMPLEMENTING NP   NP   NP     NP     NP     NP   NP     NP   NP   NP         NP     CB
pipelineMarkDeployed    IMPLEMENTING NP   NP   NP     NP     NP     NP   NP     NP   NP   NP         NP     CB
manageFreezes           -            ok   ok   PO+RM  PO+RM  PO+RM  PO+RM PO+RM PO+RM PO+RM PO+RM  PO+RM  CB
editPlan                PLANNING     RL   RL   ok     RL     RL     RL   RL     RL   RL   RL         RL     CB
editFallbackPlan        READY        RL   RL   ok     RL     RL     RL   RL     RL   RL   RL         RL     CB
recordOpinion           BUILD_TEST   RL   RL   ok     RL     RL     RL   RL     RL   RL   RL         RL     CB
addImplementer          BUILD_TEST   RL   RL   ok     RL     RL     RL   RL     RL   RL   RL         RL     CB
recordRehearsal         BUILD_TEST   RL+IM RL+IM ok   ok     RL+IM  RL+IM RL+IM RL+IM RL+IM RL+IM  RL+IM  CB
recordIntegrationTest   BUILD_TEST   IM+TE IM+TE IM+TE ok    IM+TE  IM+TE ok    IM+TE IM+TE IM+TE  IM+TE  CB
recordUat               BUILD_TEST   BL   BL   BL     BL     BL     BL   BL     ok   BL   BL         BL     CB
recordCutover           VERIFYING    BL   BL   BL     BL     BL     BL   BL     ok   BL   BL         BL     CB
reportProgress          IMPLEMENTING IM   IM   IM     ok     IM     IM   IM     IM   IM   IM         IM     CB
recordDeploymentResult  IMPLEMENTING IM   IM   IM     ok     IM     IM   IM     IM   IM   IM         IM     CB
recordFallbackExecution ROLLING_BACK IM   IM   IM     ok     IM     IM   IM     IM   IM   IM         IM     CB
recordOperationalAcceptance VERIFYING OL  OL   OL     OL+SIV OL     OL   OL     OL   ok   OL         OL     CB
manageTraining          PLANNING     TL   TL   TL     TL     ok     TL   TL     TL   TL   TL         TL     CB
recordTrainingDelivery  BUILD_TEST   TL   TL   TL     TL     ok     TL   TL     TL   TL   TL         TL     CB
recordTrainingResult    READY        TL   TL   TL     TL     ok     TL   TL     TL   TL   TL         TL     CB
read                    CLOSED       ok   ok   ok     ok     ok     ok   ok     ok   ok   ok         ok     CB
submitRelease           -            ok   ok   ok     ok     ok     ok   ok     ok   ok   ok         ok     CB
dslRegister             -            SC   SC   SC     SC     SC     ok   SC     SC   SC   SC         SC     CB
dslApprove              -            RM   ok   RM     RM     RM     RM   RM     RM   RM   RM         RM     CB
dslCheckIn              -            SC   SC   SC     SC     SC     ok   SC     SC   SC   SC         SC     CB
dslCheckOut             -            SC   SC   SC     SC     SC     ok   SC     SC   SC   SC         SC     CB
dslReturn               -            SC   SC   SC     SC     SC     ok   SC     SC   SC   SC         SC     CB
dslReplace              -            SC   SC   SC     SC     SC     ok   SC     SC   SC   SC         SC     CB
dslRetire               -            SC   SC   SC     SC     SC     ok   SC     SC   SC   SC         SC     CB
dslAudit                -            SC   SC   SC     SC     SC     ok   SC     SC   SC   SC         SC     CB
editPolicy              -            ok   PO   PO     PO     PO     PO   PO     PO   PO   PO         PO     CB
mapRoles                -            ok   PO   PO     PO     PO     PO   PO     PO   PO   PO         PO     CB
manageImprovementActions -           ok   PO   PO     PO     PO     PO   PO     PO   PO   PO         PO     CB
proposeImprovementAction -           ok   ok   PO+RM  PO+RM  PO+RM  PO+RM PO+RM PO+RM PO+RM PO+RM  PO+RM  CB
`;

/** A valid input for each action that takes one. */
const INPUT: Partial<Record<Action, DecideExtras>> = {
  reject: { reason: 'not needed' },
  cancel: { reason: 'superseded' },
  invokeFallback: { reason: 'errors' },
  recordEmergencyOverride: { reason: 'outage' },
  recordFreezeException: { reason: 'regulatory deadline' },
  assignLead: { targetAccountId: ID.lead, targetStandingRoles: ['RELEASE_LEAD'] },
  changeTeam: { teamChange: 'ADD', targetAccountId: 'acc-new', teamRole: 'IMPLEMENTER', targetStandingRoles: [] },
  addImplementer: { targetAccountId: 'acc-new' },
  evaluateParticipant: { targetAccountId: ID.impl },
  dslRegister: {},
  dslApprove: { dslItem: { id: 'd', status: 'REGISTERED' } },
  dslCheckIn: { dslItem: { id: 'd', status: 'APPROVED' } },
  dslCheckOut: { dslItem: { id: 'd', status: 'IN_LIBRARY' }, usageRequestId: 'ur-1' },
  dslReturn: { dslItem: { id: 'd', status: 'CHECKED_OUT' } },
  dslReplace: { dslItem: { id: 'd', status: 'IN_LIBRARY' } },
  dslRetire: { dslItem: { id: 'd', status: 'IN_LIBRARY' } },
  dslAudit: { dslItem: { id: 'd', status: 'IN_LIBRARY' } },
};

interface Row {
  action: Action;
  status: ReleaseStatus | null;
  cells: Record<Persona, string>;
}

const rows: Row[] = MATRIX.trim()
  .split('\n')
  .map((line) => {
    const [action, status, ...cells] = line.trim().split(/\s+/);
    if (cells.length !== PERSONAS.length) throw new Error(`matrix row ${action} has ${cells.length} cells`);
    return {
      action: action as Action,
      status: status === '-' ? null : (status as ReleaseStatus),
      cells: Object.fromEntries(PERSONAS.map((p, i) => [p, cells[i] as string])) as Record<Persona, string>,
    };
  });

test('the matrix covers every action exactly once', () => {
  expect(rows.map((r) => r.action).sort()).toEqual([...ACTIONS].sort());
});

const cases = rows.flatMap((r) => PERSONAS.map((p) => [r.action, p, r.cells[p], r.status] as const));

test.each(cases)('%s by %s → %s', (action, persona, expected, status) => {
  const ctx = status === null ? null : fullCtx(status);
  const decision = decide(actor(persona), ctx, action, NOW, DEFAULT_POLICY, INPUT[action] ?? {});
  if (expected === 'ok') {
    expect(decision).toEqual({ allowed: true });
  } else {
    const codes = expected.split('+').map((c) => {
      const code = CODE[c];
      if (!code) throw new Error(`unknown abbreviation ${c}`);
      return code;
    });
    expect(decision).toEqual({ allowed: false, reasons: codes });
  }
});

test('an outsider who cannot browse is refused with CANNOT_BROWSE alone, even holding roles', () => {
  const strong = { accountId: ID.mgr, standingRoles: ['RELEASE_MANAGER', 'PROCESS_OWNER'] as const, canBrowse: false };
  for (const action of ACTIONS) {
    for (const status of ['SUBMITTED', 'READY', 'CLOSED'] as const) {
      expect(decide(strong, fullCtx(status), action, NOW, DEFAULT_POLICY)).toEqual({ allowed: false, reasons: ['CANNOT_BROWSE'] });
    }
  }
});
