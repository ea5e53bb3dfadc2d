import { defineProject } from "vitest/config";
import { packageProject } from "../../vitest.shared.js";

const project = packageProject("create-flytekit-ts");

// The template's own tests run here too (against the workspace's sources), so a broken template fails
// fast; test/from-tarballs.test.ts runs them again in a scaffolded project, from the packed packages.
export default defineProject({ ...project, test: { ...project.test, include: ["test/**/*.test.ts", "template/test/**/*.test.ts"] } });
