export { Prng, seedFrom } from './prng.js';
export { clusterName, monikerOf, parseFriggaName, serverGroupName, type FriggaName } from './frigga-names.js';
export { SYNTHETIC, SyntheticKeys, SyntheticTypes, parseSyntheticKey, syntheticKeyParser } from './synthetic-keys.js';
export {
  SyntheticResults,
  generateSyntheticResults,
  type SyntheticAgentResult,
  type SyntheticResultsOptions,
} from './synthetic-results.js';
