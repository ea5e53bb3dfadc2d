#!/usr/bin/env node
// The `create-flytekit-ts` command. A committed launcher rather than dist/bin.js itself, as the other
// packages' commands: installing the workspace links a command before anything is built.
import "../dist/bin.js";
