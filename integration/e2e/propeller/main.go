// Command flytepropeller is FlytePropeller's own command line, built from Flyte's published Go
// module with only the task plugins the end-to-end tests use: container tasks run as pods, and map
// tasks as arrays of pods (the upstream main links every plugin, and with them every operator's API).
package main

import (
	"github.com/flyteorg/flyte/flytepropeller/cmd/controller/cmd"
	_ "github.com/flyteorg/flyte/flyteplugins/go/tasks/plugins/array/k8s"
	_ "github.com/flyteorg/flyte/flyteplugins/go/tasks/plugins/k8s/pod"
)

func main() {
	cmd.Execute()
}
