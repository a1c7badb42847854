import { AsyncSelect, type FormatOptionLabelMeta } from '@atlaskit/select';
import { useMemo, useState } from 'react';
import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import { useI18n } from '../i18n';
import { resolver } from '../invoke';
import { rememberNames, useNames, usePersonName } from '../people';

/** Whom a picker offers: a standing role's members (lead, training lead, software control lead pools), or anyone who can browse. */
export type PeoplePool = 'PROCESS_OWNER' | 'RELEASE_MANAGER' | 'RELEASE_LEAD' | 'TRAINING_LEAD' | 'SOFTWARE_CONTROL_LEAD' | 'BUSINESS_LEAD' | 'OPERATIONS_LEAD' | 'BROWSERS';

export interface PersonOption {
  value: string;
  label: string;
  avatarUrl?: string;
}

interface Found {
  accountId: string;
  displayName: string;
  avatarUrl?: string;
}

const searchPeople = resolver<{ projectId?: string; pool: PeoplePool; query: string; limit?: number }, Found[]>(K.searchPeople);

export interface PersonPickerProps {
  id: string;
  /** The chosen account id ('' for none). */
  value: string;
  onChange: (accountId: string) => void;
  pool: PeoplePool;
  projectId?: string | undefined;
  /** People offered before anything is typed (e.g. the release's team), besides a standing pool's members. */
  suggestions?: readonly string[];
  isInvalid?: boolean;
  isRequired?: boolean;
  describedBy?: string | undefined;
  /** The visible label's id (the picker's accessible name). */
  labelId?: string | undefined;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const chars = parts.length > 1 ? [parts[0]?.[0], parts[parts.length - 1]?.[0]] : [...(parts[0] ?? '?')].slice(0, 2);
  return chars.join('').toUpperCase();
}

/** A round avatar: Jira's picture, or the person's initials when there is none or it cannot load. */
export function PersonAvatar({ name, url, size = 24 }: { name: string; url?: string | undefined; size?: number }) {
  const [failed, setFailed] = useState(false);
  const style = { width: size, height: size, borderRadius: '50%', flex: '0 0 auto' } as const;
  if (url && !failed) return <img src={url} alt="" width={size} height={size} style={style} onError={() => setFailed(true)} />;
  return (
    <span
      aria-hidden="true"
      style={{
        ...style,
        display: 'inline-flex',
        alignItems: 'center',
        justifyContent: 'center',
        fontSize: Math.round(size * 0.42),
        fontWeight: 600,
        background: 'var(--ds-background-accent-blue-subtler, #cce0ff)',
        color: 'var(--ds-text-accent-blue-bolder, #09326c)',
      }}
    >
      {initials(name)}
    </span>
  );
}

const toOption = (p: Found): PersonOption => ({ value: p.accountId, label: p.displayName, ...(p.avatarUrl ? { avatarUrl: p.avatarUrl } : {}) });

/**
 * A people picker (Atlaskit's async select): searches the right pool on the server as the user types
 * (`people/search`) and shows names with avatars. The server checks the chosen person again when the
 * action is taken; this only makes the right choice easy.
 */
export default function PersonPicker({ id, value, onChange, pool, projectId, suggestions = [], isInvalid, isRequired, describedBy, labelId }: PersonPickerProps) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<PersonOption | null>(null);
  // Names of the people offered up front, asked for after the first render (never an id once known).
  const nameOf = useNames();
  const defaults = useMemo<PersonOption[]>(() => suggestions.map((s) => ({ value: s, label: nameOf(s) })), [suggestions, nameOf]);
  // The chosen person's name (asked for when not known yet, e.g. a prefilled value).
  const valueName = usePersonName(value || null);
  const selected: PersonOption | null = value ? (chosen?.value === value ? chosen : { value, label: valueName }) : null;

  const load = async (query: string): Promise<PersonOption[]> => {
    if (pool === 'BROWSERS' && query.trim() === '') return defaults;
    const found = await searchPeople({ ...(projectId ? { projectId } : {}), pool, query: query.slice(0, 100), limit: 20 });
    rememberNames(found);
    // react-select drops the answers of superseded searches itself.
    return found.map(toOption);
  };

  const formatOptionLabel = (o: PersonOption, meta: FormatOptionLabelMeta<PersonOption>) => (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }} data-testid={meta.context === 'menu' ? 'rg-person-option' : undefined}>
      <PersonAvatar name={o.label} url={o.avatarUrl} size={meta.context === 'menu' ? 24 : 20} />
      <span>{o.label}</span>
    </span>
  );

  return (
    <AsyncSelect<PersonOption, false>
      inputId={id}
      instanceId={id}
      cacheOptions
      defaultOptions={pool === 'BROWSERS' ? defaults : true}
      loadOptions={load}
      value={selected}
      onChange={(o) => {
        setChosen(o ?? null);
        onChange(o?.value ?? '');
      }}
      formatOptionLabel={formatOptionLabel}
      getOptionValue={(o) => o.value}
      isClearable={!isRequired}
      isInvalid={isInvalid}
      isRequired={isRequired}
      aria-describedby={describedBy}
      aria-labelledby={labelId}
      placeholder={pool === 'BROWSERS' ? t('people.typeToSearch') : t('people.choosePerson')}
      noOptionsMessage={({ inputValue }) => (inputValue.trim() ? t('people.noMatch', { query: inputValue.trim() }) : pool === 'BROWSERS' ? t('people.typeToSearch') : t('people.poolEmpty'))}
      loadingMessage={() => t('people.searching')}
      // The menu stays inside the form (and its landmark), above what follows it.
      styles={{ menu: (base) => ({ ...base, zIndex: 600 }) }}
      testId={`${id}-picker`}
    />
  );
}
