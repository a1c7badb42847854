import Button from '@atlaskit/button/new';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { view } from '@forge/bridge';
import { useState, type FormEvent } from 'react';
import { ModuleFrame, notify, useI18n, useProductContext } from '../../shared';
import { KPI_NAMES, type KpiName } from '../../shared/kpi';
import { ProjectPicker } from '../../shared/ui/ProjectPicker';
import { useVocabulary } from '../../shared/vocabulary';
import type { KpiDisplay } from '../../shared/kpi-ui/KpiBoard';
import { DEFAULT_KPIS, DISPLAYS, PERIODS, readConfig, REFRESH_MINUTES, type GadgetConfig, type Period } from './config';

/** The gadget's configuration view (`extension.entryPoint === 'edit'`): project, period, KPIs shown; saved with `view.submit`. */
export default function KpiGadgetEdit() {
  const { t } = useI18n();
  const { name } = useVocabulary();
  const ctx = useProductContext();
  const initial = readConfig(ctx.extension.gadgetConfiguration);
  const [projectId, setProjectId] = useState(initial?.projectId ?? ctx.extension.project?.id ?? '');
  const [period, setPeriod] = useState<Period>(initial?.period ?? 3);
  const [kpis, setKpis] = useState<KpiName[]>(initial?.kpis ?? DEFAULT_KPIS);
  const [display, setDisplay] = useState<KpiDisplay>(initial?.display ?? 'CHART');
  const [refresh, setRefresh] = useState<number>(initial?.refresh ?? 0);
  const [saving, setSaving] = useState(false);
  const valid = /^\d{1,18}$/.test(projectId) && kpis.length > 0;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!valid) return;
    setSaving(true);
    // `refresh`: Jira's own auto-refresh interval in minutes (forge-docs/manifest-reference/modules/jira-dashboard-gadget).
    const config: GadgetConfig = { projectId, period, kpis: KPI_NAMES.filter((k) => kpis.includes(k)), display, ...(refresh > 0 ? { refresh } : {}) };
    try {
      await view.submit(config);
    } catch (err) {
      notify('error', t('common.errorTitle'), err instanceof Error ? err.message : String(err));
      setSaving(false);
    }
  }

  return (
    <ModuleFrame title={t('gadget.editTitle')}>
      <form onSubmit={submit} data-testid="rg-gadget-edit">
        <Stack space="space.200">
          <ProjectPicker
            id="rg-gadget-project"
            minWidth="14rem"
            value={projectId}
            onChange={setProjectId}
            words={{
              picker: t('gadget.projectPicker'),
              pickerHint: t('gadget.projectPickerHint'),
              choose: t('gadget.projectChoose'),
              option: (p) => t('gadget.projectOption', { key: p.key, name: p.name }),
              unlisted: (id) => t('gadget.projectUnlisted', { id }),
              none: t('gadget.projectNone'),
              listFailed: t('gadget.projectListFailed'),
              label: t('gadget.projectLabel'),
              hint: t('gadget.projectHint'),
              invalid: t('gadget.projectInvalid'),
            }}
          />
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>
              <Text weight="semibold">{t('gadget.periodField')}</Text>
            </legend>
            <Inline space="space.200" shouldWrap>
              {PERIODS.map((p) => (
                <label key={p} style={{ display: 'inline-flex', gap: '0.25rem', alignItems: 'center' }}>
                  <input type="radio" name="rg-gadget-period" value={p} checked={period === p} onChange={() => setPeriod(p)} />
                  <Text>{t('gadget.periodOption', { months: p })}</Text>
                </label>
              ))}
            </Inline>
          </fieldset>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>
              <Text weight="semibold">{t('gadget.displayField')}</Text>
            </legend>
            <Inline space="space.200" shouldWrap>
              {DISPLAYS.map((d) => (
                <label key={d} style={{ display: 'inline-flex', gap: '0.25rem', alignItems: 'center' }}>
                  <input type="radio" name="rg-gadget-display" value={d} checked={display === d} onChange={() => setDisplay(d)} />
                  <Text>{t(d === 'CHART' ? 'gadget.displayChart' : 'gadget.displayTable')}</Text>
                </label>
              ))}
            </Inline>
          </fieldset>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>
              <Text weight="semibold">{t('gadget.refreshField')}</Text>
            </legend>
            <Inline space="space.200" shouldWrap>
              {REFRESH_MINUTES.map((m) => (
                <label key={m} style={{ display: 'inline-flex', gap: '0.25rem', alignItems: 'center' }}>
                  <input type="radio" name="rg-gadget-refresh" value={m} checked={refresh === m} onChange={() => setRefresh(m)} />
                  <Text>{m === 0 ? t('gadget.refreshOff') : t('gadget.refreshEvery', { minutes: m })}</Text>
                </label>
              ))}
            </Inline>
          </fieldset>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>
              <Text weight="semibold">{t('gadget.kpisField')}</Text>
            </legend>
            <Stack space="space.050">
              {KPI_NAMES.map((k) => (
                <label key={k} style={{ display: 'inline-flex', gap: '0.25rem', alignItems: 'center' }}>
                  <input type="checkbox" checked={kpis.includes(k)} onChange={(e) => setKpis(e.currentTarget.checked ? [...kpis, k] : kpis.filter((x) => x !== k))} />
                  <Text>{name('kpi', k)}</Text>
                </label>
              ))}
            </Stack>
            {kpis.length === 0 ? (
              <Text as="p" size="small" color="color.text.danger">
                {t('gadget.kpisRequired')}
              </Text>
            ) : null}
          </fieldset>
          <Inline space="space.100">
            <Button type="submit" appearance="primary" isLoading={saving} isDisabled={!valid} testId="rg-gadget-save">
              {t('gadget.save')}
            </Button>
            <Button appearance="subtle" onClick={() => view.close().catch(() => undefined)}>
              {t('gadget.cancel')}
            </Button>
          </Inline>
        </Stack>
      </form>
    </ModuleFrame>
  );
}
