export { resolver } from './resolvers';
export { gateValidator } from './workflow/validator';
export { issueEvents } from './triggers/issue-events';
export { issueDeleted } from './triggers/issue-deleted';
export { appInstalled } from './triggers/app-installed';
export { dailyJob } from './scheduled/daily-job';
export { dailyJobConsumer } from './consumers/daily-job';
export { deploymentGate } from './webtriggers/deployment-gate';
