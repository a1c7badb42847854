export { reason, server } from '../../../../locales/zh-CN.json';
