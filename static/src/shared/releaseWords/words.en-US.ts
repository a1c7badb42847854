// The release lifecycle's words from the shared locale file, outside `ui` (the server answers in the same
// words, `reason.<CODE>`): statuses, roles, action names, reasons, classifications, risk, outcomes, audiences, gates.
export { reason, role, status, action, classification, risk, outcome, audience, gate } from '../../../../locales/en-US.json';
