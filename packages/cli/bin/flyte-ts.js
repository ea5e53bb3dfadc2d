#!/usr/bin/env node
// The `flyte-ts` command. A committed launcher rather than dist/bin.js itself, so that installing the
// workspace links the command before anything is built (pnpm warns about a bin whose file is missing).
import "../dist/bin.js";
