/**
 * Prints the runtime image's Node.js binary (fetched once into ~/.cache/flytekit-ts): up.sh runs the
 * pods of that image with it, as the image would, not with the Node.js that runs the tests.
 */
import { imageNode } from "@flytekit-ts/image-node";

console.log(imageNode().path);
