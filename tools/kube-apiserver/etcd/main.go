// Command etcd runs a single-member etcd server (go.etcd.io/etcd/server/v3's
// embed package, the version k8s.io/kubernetes pins) for the kube-apiserver
// of deploy/helm_apiserver_test.go: the etcd release binary is not a Go
// module that can be fetched here.
//
//	etcd -data-dir DIR -listen-client http://127.0.0.1:PORT -listen-peer http://127.0.0.1:PORT
package main

import (
	"flag"
	"log"
	"net/url"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dir := flag.String("data-dir", "", "data directory (required)")
	client := flag.String("listen-client", "http://127.0.0.1:2379", "client URL")
	peer := flag.String("listen-peer", "http://127.0.0.1:2380", "peer URL")
	flag.Parse()
	if *dir == "" {
		log.Fatal("-data-dir is required")
	}
	cu, err := url.Parse(*client)
	if err != nil {
		log.Fatal(err)
	}
	pu, err := url.Parse(*peer)
	if err != nil {
		log.Fatal(err)
	}
	cfg := embed.NewConfig()
	cfg.Dir = *dir
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*cu}, []url.URL{*cu}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*pu}, []url.URL{*pu}
	cfg.InitialCluster = cfg.Name + "=" + pu.String()
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	<-e.Server.ReadyNotify()
	log.Print("etcd is ready")
	log.Fatal(<-e.Err())
}
