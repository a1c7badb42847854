// The app's shared vocabulary (status, role, KPI, reason... names) from the locale file's top-level sections:
// named JSON imports, so only these sections enter this chunk.
export { status, role, kpi, reason, audience, classification } from '../../../../locales/en-US.json';
