import { packageBuild } from "../../tsup.shared.js";

// The CommonJS build needs import.meta.url for the lazily loaded node:crypto (src/hash.ts).
export default packageBuild({ shims: true });
