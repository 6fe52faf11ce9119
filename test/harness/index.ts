// The engine-faithful harness, in one import: `import { PolicyPackHarness, unknown, secret } from "../harness";`
export * from "./analyzerHarness";
export * from "./sentinels";
export {
  parsePolicyPackConfig,
  reconcilePolicyPackConfig,
  formatEngineValidationErrors,
  PolicyPackConfigParseError,
  type PolicyPackConfigFile,
  type EnforcementLevel,
} from "./policyPackConfig";
export { ensurePackBuilt } from "./packBuild";
export { defaultPackDir, loadPackTree } from "./packTree";
export { makeLinkedTempPackDir, writeDoNothingPack, writeProtocolFixturePack } from "./fixturePacks";
