// Command flyteadmin is FlyteAdmin's own entry point (serve, migrate, ...), built from Flyte's
// published Go module so the integration tests talk to the real server.
package main

import (
	"fmt"
	"os"

	"github.com/flyteorg/flyte/flyteadmin/cmd/entrypoints"
	"github.com/flyteorg/flyte/flyteadmin/plugins"
)

func main() {
	if err := entrypoints.Execute(plugins.NewRegistry()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
