package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler serves the operator's endpoints:
//
//   - /healthz: 200 "ok" while the process runs;
//   - /readyz: 200 "ready" when ready returns nil, else 503 with its
//     error, one line (e.g. "index not loaded", "gateway not connected");
//   - /metrics: the series in the Prometheus text format.
//
// Each of notes that returns a line adds it to /readyz's body, ready or
// not: what works less well than it should without making the bot
// unready (an insights store that could not be opened).
func (m *Metrics) Handler(ready func() error, notes ...func() string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := ready(); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "%s\n", err)
		} else {
			io.WriteString(w, "ready\n")
		}
		for _, note := range notes {
			if line := note(); line != "" {
				fmt.Fprintf(w, "%s\n", line)
			}
		}
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	return mux
}

// Server is the HTTP listener of the operator's endpoints.
type Server struct {
	ln   net.Listener
	http *http.Server
	done chan struct{}
}

// Listen binds addr (host:port; port 0 picks one) and serves h on it until
// Close. Binding happens before Listen returns, so a taken port is an
// error here rather than a line in the log later.
func Listen(addr string, h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("server.listen %s: %w", addr, err)
	}
	s := &Server{
		ln: ln,
		http: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       2 * time.Minute,
		},
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		s.http.Serve(ln)
	}()
	return s, nil
}

// Loopback reports whether the listener is on a loopback address only:
// ":0" or "0.0.0.0:9090" listen on every interface, and the endpoints
// then answer anyone who can reach the machine.
func (s *Server) Loopback() bool {
	a, ok := s.ln.Addr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// Addr returns the address listened on, with the port chosen.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops listening and waits, at most until ctx ends, for the
// requests being served.
func (s *Server) Close(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = s.http.Close()
	}
	<-s.done
	return err
}
