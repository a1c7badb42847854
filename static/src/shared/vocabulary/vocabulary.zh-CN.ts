export { reason, role, status, action, classification, risk, outcome, audience, gate, kpi } from '../../../../locales/zh-CN.json';
