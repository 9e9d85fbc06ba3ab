package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	// Imported first for its side effect: SIGHUP ignored while the
	// other packages initialise, before main can install handlers.
	_ "github.com/declbot/declbot/cmd/declbot/internal/earlysignals"
)

// main takes the signals before anything else: until signal.Notify, a
// SIGHUP (systemctl reload just after a start) would end the process by
// its default action, silently and with a status systemd takes for a
// clean exit (earlysignals ignores it while packages initialise). SIGHUP is kept in a buffer of one for serve, which rebuilds
// the index on it; other commands ignore it. SIGINT and SIGTERM cancel
// the context, which reaches the index load too, with the signal as its
// cause (a stopSignal), for the exit status of a command it cuts short;
// a second one ends the process at once, with the same status.
func main() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	stops := make(chan os.Signal, 2)
	signal.Notify(stops, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		cancel(stopSignal{(<-stops).(syscall.Signal)})
		// A second signal ends the process at once: a command stuck
		// where the context does not reach (a configuration named as a
		// FIFO nobody writes to) would otherwise outlive every Ctrl-C.
		sig := (<-stops).(syscall.Signal)
		fmt.Fprintln(os.Stderr, "declbot: interrupted")
		os.Exit(128 + int(sig))
	}()
	app := NewApp(os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	app.hangups = func() (<-chan os.Signal, func()) { return hup, func() {} }
	app.memoryLimit = func() (int64, bool) { return cgroupMemoryLimit(os.Getenv, os.ReadFile) }
	os.Exit(app.Run(ctx, os.Args[1:]))
}
