export { reason, role, status, action, classification, risk, outcome, audience, gate } from '../../../../locales/zh-CN.json';
