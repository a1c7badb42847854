// The server's refusal and error texts (sections `reason` and `server` of the shared locale file): the
// resolvers answer codes and parameters, the UI says them in the user's language.
export { reason, server } from '../../../../locales/en-US.json';
