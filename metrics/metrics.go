// Package metrics holds the platform's Prometheus metrics. The server and the
// storage backends each receive a *Registry through their configuration and
// record into it; a nil *Registry records nothing, so a test or a tool that
// opens a store without metrics pays one nil check per call.
package metrics

import (
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry is one process's metrics.
type Registry struct {
	reg *prometheus.Registry

	requests *prometheus.CounterVec   // route, errcode
	latency  *prometheus.HistogramVec // route
	routes   routeTable
	internal *prometheus.CounterVec // route: answered -1 for an unexpected (store) error
	tokens   *prometheus.CounterVec // route

	actions    *prometheus.CounterVec // result: stored, duplicate
	stored     prometheus.Counter
	duplicates prometheus.Counter
	groupSize  prometheus.Histogram
	groupWait  prometheus.Histogram
	commitTime prometheus.Histogram
	queueDepth prometheus.Gauge
	storeErrs  *prometheus.CounterVec // op

	// The server installs these at New; read at scrape time.
	inFlight  atomic.Pointer[func() (requests, bytes int64)]
	limits    atomic.Pointer[func() (requests, bytes int64)]
	inspDrops atomic.Pointer[func() int64]
}

// latencyBuckets span a cached token read (~100 µs) to a slow report (10 s).
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New returns a Registry with the Go runtime and process collectors.
func New() *Registry {
	m := &Registry{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wxads_http_requests_total",
		Help: "Requests answered, by route pattern and platform errcode (0 = success).",
	}, []string{"route", "errcode"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "wxads_http_request_duration_seconds",
		Help:    "Time from the request's arrival to its last byte written, by route pattern.",
		Buckets: latencyBuckets,
	}, []string{"route"})
	m.internal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wxads_http_internal_errors_total",
		Help: "Requests answered errcode -1 because of an unexpected error (a store failure or a bug), by route; the cause is in the log.",
	}, []string{"route"})
	m.tokens = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wxads_tokens_issued_total",
		Help: "Access tokens handed out (successful token, stable_token and oauth token responses), by route.",
	}, []string{"route"})
	m.actions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wxads_ingest_actions_total",
		Help: "Actions committed by the group commit: stored (new) or duplicate (outer_action_id already held). rate() is the ingest rate.",
	}, []string{"result"})
	m.stored, m.duplicates = m.actions.WithLabelValues("stored"), m.actions.WithLabelValues("duplicate")
	m.groupSize = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "wxads_ingest_group_actions",
		Help:    "Actions written per group commit (one transaction, one fsync).",
		Buckets: []float64{1, 4, 16, 64, 256, 1024, 4096},
	})
	m.groupWait = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "wxads_ingest_queue_wait_seconds",
		Help:    "Time an upload's batch waited in this node's group-commit queue before its transaction began.",
		Buckets: latencyBuckets,
	})
	m.commitTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "wxads_ingest_commit_seconds",
		Help:    "Time one group commit took, from BEGIN to COMMIT returned.",
		Buckets: latencyBuckets,
	})
	m.queueDepth = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "wxads_ingest_queue_depth",
		Help: "Upload batches waiting in the group-commit queue when the last group began.",
	})
	m.storeErrs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wxads_store_errors_total",
		Help: "Storage operations that failed, by operation (ingest: a whole group commit rolled back).",
	}, []string{"op"})
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency, m.internal, m.tokens,
		m.actions, m.groupSize, m.groupWait, m.commitTime, m.queueDepth, m.storeErrs,
		m.sourceGauge("wxads_inflight_requests", "Requests being served (admission control; health probes aside).", &m.inFlight, 0),
		m.sourceGauge("wxads_inflight_body_bytes", "Request body bytes reserved by requests being served (admission control).", &m.inFlight, 1),
		m.sourceGauge("wxads_inflight_requests_limit", "The cap on requests in flight; past it requests are refused with -1.", &m.limits, 0),
		m.sourceGauge("wxads_inflight_body_bytes_limit", "The cap on body bytes in flight; past it uploads are refused with -1.", &m.limits, 1),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "wxads_inspector_dropped_total",
			Help: "Request records the inspector dropped because its queue or memory bound was full.",
		}, func() float64 {
			if f := m.inspDrops.Load(); f != nil {
				return float64((*f)())
			}
			return 0
		}),
	)
	return m
}

// sourceGauge reads one of a pair the server reports at scrape time.
func (m *Registry) sourceGauge(name, help string, src *atomic.Pointer[func() (int64, int64)], which int) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
		f := src.Load()
		if f == nil {
			return 0
		}
		a, b := (*f)()
		if which == 0 {
			return float64(a)
		}
		return float64(b)
	})
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Gatherer is the registry itself, for tests that read values back.
func (m *Registry) Gatherer() prometheus.Gatherer { return m.reg }
