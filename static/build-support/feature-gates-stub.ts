/**
 * Stand-in for `@atlaskit/feature-gate-js-client/feature-gates` (the Statsig client, ~190 KB).
 * Atlaskit's `fg()` asks it only when the page has not installed its own flag resolver; in a Forge iframe
 * nobody initialises Statsig, so every gate answers false. This answers false too, without the client.
 */
const FeatureGates = {
  initializeCompleted: (): boolean => false,
  checkGate: (_gate: string): boolean => false,
  getExperimentValue: <T>(_experiment: string, _parameter: string, defaultValue: T): T => defaultValue,
};

export default FeatureGates;
