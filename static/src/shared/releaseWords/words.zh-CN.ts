export { reason, role, status, action, classification, risk, outcome, audience } from '../../../../locales/zh-CN.json';
