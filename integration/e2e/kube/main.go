// Command kube-apiserver is Kubernetes' API server (k8s.io/kubernetes/cmd/kube-apiserver) with an
// etcd embedded in the same process, for the end-to-end tests (see ../README.md): one program to
// build and start, listening on loopback only. Usage:
//
//	kube-apiserver --etcd-dir DIR --etcd-port N --etcd-peer-port M -- <kube-apiserver flags>
//
// The embedded etcd serves http://127.0.0.1:N; pass it to the API server as --etcd-servers.
package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	etcdFlags, apiserverArgs, err := splitArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "kube-apiserver:", err)
		os.Exit(2)
	}
	etcd, err := startEtcd(etcdFlags)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kube-apiserver: embedded etcd:", err)
		os.Exit(1)
	}
	defer etcd.Close()
	command := app.NewAPIServerCommand()
	command.SetArgs(apiserverArgs)
	os.Exit(cli.Run(command))
}

// splitArgs reads the three --etcd-* flags before "--"; what follows "--" is the API server's.
func splitArgs(args []string) (map[string]string, []string, error) {
	flags := map[string]string{}
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--":
			for _, name := range []string{"--etcd-dir", "--etcd-port", "--etcd-peer-port"} {
				if flags[name] == "" {
					return nil, nil, fmt.Errorf("%s is required before --", name)
				}
			}
			return flags, args[i+1:], nil
		case "--etcd-dir", "--etcd-port", "--etcd-peer-port":
			if i+1 >= len(args) {
				return nil, nil, fmt.Errorf("%s needs a value", args[i])
			}
			flags[args[i]] = args[i+1]
			i++
		default:
			return nil, nil, fmt.Errorf("unknown flag %q (the API server's flags follow --)", args[i])
		}
	}
	return nil, nil, fmt.Errorf("no -- before the API server's flags")
}

func startEtcd(flags map[string]string) (*embed.Etcd, error) {
	client, err := loopbackURL(flags["--etcd-port"])
	if err != nil {
		return nil, err
	}
	peer, err := loopbackURL(flags["--etcd-peer-port"])
	if err != nil {
		return nil, err
	}
	cfg := embed.NewConfig()
	cfg.Dir = flags["--etcd-dir"]
	cfg.ListenClientUrls = []url.URL{client}
	cfg.AdvertiseClientUrls = []url.URL{client}
	cfg.ListenPeerUrls = []url.URL{peer}
	cfg.AdvertisePeerUrls = []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "warn"
	etcd, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-etcd.Server.ReadyNotify():
		return etcd, nil
	case <-time.After(2 * time.Minute):
		etcd.Close()
		return nil, fmt.Errorf("not ready after 2 minutes")
	}
}

func loopbackURL(port string) (url.URL, error) {
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return url.URL{}, fmt.Errorf("%q is not a port", port)
	}
	return url.URL{Scheme: "http", Host: "127.0.0.1:" + port}, nil
}
