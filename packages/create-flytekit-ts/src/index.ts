/**
 * create-flytekit-ts — what `npm create flytekit-ts <directory>` runs: writes a new flytekit-ts
 * project. `createProject` does the same from code.
 */
export { createProject, CreateError, type CreateOptions, type CreatedProject } from "./create.js";
export { main, type Io, type Installer } from "./main.js";
