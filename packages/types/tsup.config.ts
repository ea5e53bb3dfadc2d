import { packageBuild } from "../../tsup.shared.js";

export default packageBuild({
  // @msgpack/msgpack resolves to ~15 CommonJS files under Node; loading and lexing them cost a task
  // process 16 ms and 5 MB at start-up. Bundled from its ESM build, it is part of one parse.
  noExternal: ["@msgpack/msgpack"],
});
