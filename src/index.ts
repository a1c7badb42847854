export { resolver } from './resolvers';
export { gateValidator } from './workflow/validator';
export { issueEvents } from './triggers/issue-events';
export { appInstalled } from './triggers/app-installed';
export { dailyJob } from './scheduled/daily-job';
export { jiraEffectsConsumer } from './consumers/jira-effects';
export { deploymentGate } from './webtriggers/deployment-gate';
