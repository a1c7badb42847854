// The shared names from the locale file's top-level sections, outside `ui` (the server answers in the same
// words, `reason.<CODE>`): named JSON imports, so only these sections enter this chunk.
export { reason, role, status, action, classification, risk, outcome, audience, gate, kpi } from '../../../../locales/en-US.json';
