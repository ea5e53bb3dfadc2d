import { packageBuild } from "../../tsup.shared.js";

// The CommonJS build needs import.meta.url for the lazily loaded node:child_process (src/child-process.ts).
export default packageBuild({ shims: true });
