// The words an audit event is rendered with (locales/*.json): the `audit` section and the shared enums it uses.
export { audit, status, classification, risk, outcome, audience, role, kpi } from '../../../../locales/en-US.json';
