import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack } from '@atlaskit/primitives';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { DSL_ENVIRONMENTS, DSL_STATUSES } from '../../../../../src/domain/dsl';
import { ErrorState, Loading, useI18n } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import type { PageProps } from '../model';
import { PageHeading } from '../pages/parts';
import { listDslItems, type DslEnvironment, type DslItemRow, type DslSearch, type DslStatus } from './api';
import { Findings } from './Findings';
import { ImportExport } from './ImportExport';
import { ItemDetail } from './ItemDetail';
import { DslStatusLozenge, Field, grid, Select, TextInput, useDslPermission, useDslWords } from './parts';
import { RegisterForm } from './RegisterForm';

type Filters = { name: string; version: string; status: DslStatus | ''; environment: DslEnvironment | '' };

/** The Definitive Software Library (最终软件库) page: search, an item with its history and actions, register, consistency, CSV. */
export default function DslLibrary({ projectId, accountId, roles, policy, now }: PageProps) {
  const { t, format } = useI18n();
  const words = useDslWords();
  const can = useDslPermission({ accountId, roles, policy, now });
  const [draft, setDraft] = useState<Filters>({ name: '', version: '', status: '', environment: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [items, setItems] = useState<DslItemRow[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [state, setState] = useState<{ loading: boolean; error: unknown }>({ loading: true, error: null });
  const [tick, setTick] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<'list' | 'register' | 'csv'>('list');

  const search = useMemo<DslSearch>(
    () => ({
      projectId,
      limit: 50,
      ...(filters.name.trim() ? { nameStartsWith: filters.name.trim() } : {}),
      ...(filters.version.trim() ? { version: filters.version.trim() } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.environment ? { environment: filters.environment } : {}),
    }),
    [projectId, filters],
  );

  async function load(more: boolean) {
    setState({ loading: true, error: null });
    try {
      const page = await listDslItems({ ...search, ...(more && cursor ? { cursor } : {}) });
      setItems((x) => (more ? [...x, ...page.items] : page.items));
      setCursor(page.cursor);
      setState({ loading: false, error: null });
    } catch (error) {
      setState({ loading: false, error });
    }
  }

  useEffect(() => {
    void load(false);
  }, [search, tick]);

  const refresh = () => setTick((n) => n + 1);

  const columns: Column<DslItemRow>[] = [
    {
      key: 'name',
      header: t('dsl.col.name'),
      render: (i) => (
        <Button appearance="subtle" spacing="compact" onClick={() => setSelected(i.id)}>
          {i.name}
        </Button>
      ),
    },
    { key: 'version', header: t('dsl.col.version'), render: (i) => i.version },
    { key: 'status', header: t('dsl.col.status'), render: (i) => <DslStatusLozenge status={i.status} /> },
    { key: 'vendor', header: t('dsl.col.vendor'), render: (i) => i.vendor || '—' },
    { key: 'cmdb', header: t('dsl.col.cmdb'), render: (i) => i.cmdbCiRef ?? '—' },
    { key: 'checkedIn', header: t('dsl.col.checkedIn'), render: (i) => (i.checkedInAt ? format.dateTime(i.checkedInAt) : '—') },
  ];

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }

  return (
    <Stack space="space.300">
      <PageHeading
        title={t('dsl.title')}
        intro={t('dsl.intro')}
        actions={
          <Inline space="space.100">
            <Button appearance={view === 'register' ? 'primary' : 'default'} onClick={() => setView(view === 'register' ? 'list' : 'register')}>
              {t('dsl.action.register')}
            </Button>
            <Button appearance={view === 'csv' ? 'primary' : 'default'} onClick={() => setView(view === 'csv' ? 'list' : 'csv')}>
              {t('dsl.csv.title')}
            </Button>
          </Inline>
        }
      />

      {view === 'register' ? (
        <RegisterForm
          projectId={projectId}
          items={items}
          can={can}
          onCancel={() => setView('list')}
          onDone={(id) => {
            setView('list');
            setSelected(id);
            refresh();
          }}
        />
      ) : null}
      {view === 'csv' ? <ImportExport projectId={projectId} can={can} onImported={refresh} /> : null}

      {selected ? <ItemDetail key={selected} itemId={selected} can={can} onChanged={refresh} onClose={() => setSelected(null)} onOpen={setSelected} /> : null}

      <form onSubmit={apply} role="search" aria-label={t('dsl.search.apply')}>
        <Stack space="space.100">
          <div style={grid}>
            <Field id="rg-dsl-q-name" label={t('dsl.search.name')}>
              <TextInput id="rg-dsl-q-name" value={draft.name} onChange={(v) => setDraft((d) => ({ ...d, name: v }))} />
            </Field>
            <Field id="rg-dsl-q-version" label={t('dsl.search.version')}>
              <TextInput id="rg-dsl-q-version" value={draft.version} onChange={(v) => setDraft((d) => ({ ...d, version: v }))} />
            </Field>
            <Field id="rg-dsl-q-status" label={t('dsl.search.status')}>
              <Select<DslStatus>
                id="rg-dsl-q-status"
                value={draft.status}
                onChange={(v) => setDraft((d) => ({ ...d, status: v }))}
                options={[{ value: '', label: t('dsl.search.any') }, ...DSL_STATUSES.map((s) => ({ value: s, label: words.status(s) }))]}
              />
            </Field>
            <Field id="rg-dsl-q-env" label={t('dsl.search.environment')}>
              <Select<DslEnvironment>
                id="rg-dsl-q-env"
                value={draft.environment}
                onChange={(v) => setDraft((d) => ({ ...d, environment: v }))}
                options={[{ value: '', label: t('dsl.search.any') }, ...DSL_ENVIRONMENTS.map((e) => ({ value: e, label: words.env(e) }))]}
              />
            </Field>
          </div>
          <Inline>
            <Button type="submit" appearance="primary">
              {t('dsl.search.apply')}
            </Button>
          </Inline>
        </Stack>
      </form>

      {state.error ? <ErrorState error={state.error} onRetry={refresh} /> : null}
      <DataTable caption={t('dsl.title')} columns={columns} rows={items} rowKey={(i) => i.id} empty={state.loading ? '' : t('dsl.search.empty')} testId="rg-dsl-items" />
      {state.loading ? <Loading /> : null}
      {cursor && !state.loading ? (
        <Inline>
          <Button onClick={() => void load(true)}>{t('dsl.search.more')}</Button>
        </Inline>
      ) : null}

      <Stack space="space.100">
        <Heading size="xsmall" as="h3">
          {t('dsl.consistency.title')}
        </Heading>
        <Findings key={tick} projectId={projectId} onOpen={setSelected} />
      </Stack>
    </Stack>
  );
}
