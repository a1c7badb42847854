export { resolver } from './resolvers';
