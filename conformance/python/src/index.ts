/**
 * The real flytekit beside the tests: where the hash-locked venv is (`findVenv`, `venvForLiveSuite`)
 * and a client for the long-lived flytekit driver (`FlytekitDriver`).
 */
export { findVenv, venvForLiveSuite, venvPath, lockHash, lockFile, driverScript, packageDir, type FlytekitVenv } from "./venv.js";
export { FlytekitDriver, fromBase64, toBase64, type PyType, type PyField, type PyJson, type DriverResult } from "./driver.js";
