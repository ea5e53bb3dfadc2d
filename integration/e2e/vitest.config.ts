import { packageProject } from "../../vitest.shared.js";

/** The pod runner's unit tests (part of `pnpm test`); the end-to-end suite has its own config (vitest.e2e.config.ts). */
export default packageProject("e2e");
