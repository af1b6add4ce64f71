// Command loadgen drives a running wxads server with user_actions/add
// batches and reports durable actions per second and latency percentiles.
// It is kept for the commands in older notes; `wxads bench` (package
// bench) does the same and more (ceilings, A/B ratios, token and report
// modes).
//
//	go run ./bench/loadgen -base http://127.0.0.1:8080 -admin-token "$(cat wxads-data/admin-token)"
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/wxads/wxads/bench"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server base URL")
	admin := flag.String("admin-token", os.Getenv("WXADS_ADMIN_TOKEN"), "admin bearer token")
	workers := flag.Int("c", 16, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "duration")
	batch := flag.Int("batch", 50, "actions per request (1-50)")
	flag.Parse()
	client := bench.NewClient(*workers)
	t, err := bench.Setup(client, *base, *admin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	r := bench.Drive(context.Background(), client, t, bench.Load{Mode: "upload", Clients: *workers, Batch: *batch,
		Duration: *dur, Run: time.Now().UnixNano()})
	fmt.Printf("workers=%d batch=%d duration=%s requests=%d failures=%d\n", *workers, *batch,
		r.Elapsed.Round(time.Millisecond), r.Requests, sum(r.Errors))
	fmt.Printf("durable actions/s: %.0f\n", r.ActionsPerSecond)
	fmt.Printf("latency %s\n", r.Latency)
}

func sum(m map[string]int64) (n int64) {
	for _, v := range m {
		n += v
	}
	return n
}
