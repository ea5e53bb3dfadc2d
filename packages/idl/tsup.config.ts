import { packageBuild } from "../../tsup.shared.js";

export default packageBuild({
  // protobufjs is ~40 small CommonJS modules; loading them one by one (and lexing them for ESM) cost
  // a task process more time than everything else it imports. Bundled, they are one parse.
  noExternal: ["protobufjs", "long"],
  // The ES module build, minified, is one long line that also holds protobufjs's URL pattern
  // (`/^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//`). Tools that tell ES modules from CommonJS by pattern (publint,
  // bundlers' heuristics) read its `//` as a comment to the end of the line, lose the `export`
  // statement there and see only the bundled CommonJS. An empty export clause on a line of its own
  // keeps the file recognisably an ES module; it exports nothing.
  footer: ({ format }) => (format === "esm" ? { js: "export {};" } : {}),
});
