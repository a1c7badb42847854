import { NotReady } from '../../shared';

/** The gadget's configuration view (Jira opens it with `extension.entryPoint === 'edit'`). */
export default function KpiGadgetEdit() {
  return <NotReady titleKey="modules.kpiGadget.editTitle" />;
}
