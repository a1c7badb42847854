export { status, role, kpi, reason, audience, classification } from '../../../../locales/zh-CN.json';
