// Command kube-apiserver is Kubernetes' API server, built from
// k8s.io/kubernetes (cmd/kube-apiserver) because no release binary can be
// fetched where this repository is tested. deploy/helm_apiserver_test.go
// starts it on an embedded etcd (../etcd) and applies the rendered Helm
// chart to it. It is heavy to build (minutes, ~3 GB): that test runs only
// when FIGURES_TEST_KUBERNETES=1.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
