import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { Box, Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { useState, type CSSProperties, type ReactNode } from 'react';
import { decide, type DecideExtras } from '../../../../../src/domain/decide';
import { dslSummaryOf, type DslAction } from '../../../../../src/domain/dsl';
import { ResolverError, useI18n, type MessageKey } from '../../../shared';
import { useVocabulary } from '../../../shared/vocabulary';
import type { PageProps } from '../model';
import type { DslEnvironment, DslFinding, DslItem, DslStatus, UsageRequestStatus } from './api';

const APPEARANCE: Record<DslStatus, 'new' | 'inprogress' | 'success' | 'moved' | 'removed' | 'default'> = {
  REGISTERED: 'new',
  APPROVED: 'inprogress',
  IN_LIBRARY: 'success',
  CHECKED_OUT: 'moved',
  SUPERSEDED: 'default',
  RETIRED: 'removed',
};

/** Translation keys built from a vocabulary word (the catalogue has one entry per word). */
export const k = (key: string): MessageKey => key as MessageKey;

export function DslStatusLozenge({ status }: { status: DslStatus }) {
  const { t } = useI18n();
  return <Lozenge appearance={APPEARANCE[status]}>{t(k(`dsl.status.${status}`))}</Lozenge>;
}

export function useDslWords() {
  const { t } = useI18n();
  return {
    status: (s: DslStatus) => t(k(`dsl.status.${s}`)),
    env: (e: DslEnvironment) => t(k(`dsl.env.${e}`)),
    usage: (s: UsageRequestStatus) => t(k(`dsl.usage.status.${s}`)),
    finding: (f: DslFinding) =>
      t(k(`dsl.finding.${f.code}`), {
        environment: f.environment ? t(k(`dsl.env.${f.environment}`)) : '',
        expected: f.expected ?? '—',
        actual: f.actual ? (f.code === 'SUPERSEDED_STILL_DEPLOYED' || f.code === 'RELEASE_ITEM_NOT_IN_LIBRARY' ? t(k(`dsl.status.${f.actual}`)) : f.actual) : '—',
      }),
  };
}

const inputStyle: CSSProperties = {
  font: token('font.body'),
  padding: `${token('space.050')} ${token('space.075')}`,
  border: `1px solid ${token('color.border.input')}`,
  borderRadius: 3,
  background: token('color.background.input'),
  color: token('color.text'),
  minWidth: 0,
  width: '100%',
  boxSizing: 'border-box',
};

/** A labelled native control: accessible and keyboard-usable without extra wiring. */
export function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <Stack space="space.050">
      <label htmlFor={id} style={{ font: token('font.body.small'), color: token('color.text.subtle'), fontWeight: token('font.weight.semibold') }}>
        {label}
      </label>
      {children}
    </Stack>
  );
}

export function TextInput({ id, value, onChange, required, type = 'text', placeholder }: { id: string; value: string; onChange: (v: string) => void; required?: boolean; type?: string; placeholder?: string }) {
  return <input id={id} type={type} value={value} required={required} placeholder={placeholder} onChange={(e) => onChange(e.currentTarget.value)} style={inputStyle} />;
}

export function Select<T extends string>({ id, value, onChange, options }: { id: string; value: T | ''; onChange: (v: T | '') => void; options: { value: T | ''; label: string }[] }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as T | '')} style={inputStyle}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export const grid: CSSProperties = { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', gap: token('space.150') };

/** Runs a server action, keeps it from running twice, and shows what the server said when it refused. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (busy) return undefined;
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (err) {
      setError(err instanceof ResolverError || err instanceof Error ? err.message : String(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, clear: () => setError(null) };
}

export function ActionError({ error }: { error: string | null }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Box role="alert">
      <SectionMessage appearance="error" title={t('common.errorTitle')}>
        <Text as="p">{error}</Text>
      </SectionMessage>
    </Box>
  );
}

/** Whether the viewer may take a DSL action now, and if not why (in their language). */
export interface DslPermission {
  allowed: boolean;
  why: string;
}
export type CanDo = (action: DslAction, item?: DslItem | null, extras?: DecideExtras) => DslPermission;

/**
 * The same `decide` the server asks (domain/decide.ts, through the shared code), for the library page where
 * no release is in context: a button the viewer may not press is disabled with the reason under it. While
 * the viewer's roles are unknown nothing is refused here; the server decides every action regardless.
 */
export function useDslPermission({ accountId, roles, policy, now }: Pick<PageProps, 'accountId' | 'roles' | 'policy' | 'now'>): CanDo {
  const { name } = useVocabulary();
  return (action, item, extras) => {
    if (roles === null || !accountId) return { allowed: true, why: '' };
    // Without an item or extras only the role and status are asked (as for showing a button at all).
    const input: DecideExtras | undefined = item === undefined && extras === undefined ? undefined : { ...(item !== undefined ? { dslItem: item ? dslSummaryOf(item) : null } : {}), ...extras };
    const d = decide({ accountId, standingRoles: roles, canBrowse: true }, null, action, now, policy, input);
    return d.allowed ? { allowed: true, why: '' } : { allowed: false, why: d.reasons.map((r) => name('reason', r)).join(' ') };
  };
}

/** A DSL action button: enabled for who may act, else disabled with the reason beneath it (as the release panel does). */
export function DslActionButton({
  permission,
  onClick,
  type = 'button',
  disabled,
  appearance = 'default',
  testId,
  children,
}: {
  permission: DslPermission;
  /** Omitted for a form's submit button. */
  onClick?: () => void;
  type?: 'button' | 'submit';
  disabled?: boolean;
  appearance?: 'default' | 'primary' | 'danger';
  testId: string;
  children: ReactNode;
}) {
  const whyId = `${testId}-why`;
  return (
    <Stack space="space.050">
      <div>
        <Button type={type} appearance={appearance} isDisabled={!permission.allowed || disabled} aria-describedby={permission.allowed ? undefined : whyId} onClick={onClick} testId={testId}>
          {children}
        </Button>
      </div>
      {!permission.allowed ? (
        <Text as="p" size="small" color="color.text.subtle" id={whyId} testId={`${testId}-refusal`}>
          {permission.why}
        </Text>
      ) : null}
    </Stack>
  );
}
