import { packageBuild } from "../../tsup.shared.js";

export default packageBuild({
  // protobufjs is ~40 small CommonJS modules; loading them one by one (and lexing them for ESM) cost
  // a task process more time than everything else it imports. Bundled, they are one parse.
  noExternal: ["protobufjs", "long"],
});
