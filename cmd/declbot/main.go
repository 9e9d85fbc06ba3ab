package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	app := NewApp(os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	app.hangups = func() (<-chan os.Signal, func()) {
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGHUP)
		return c, func() { signal.Stop(c) }
	}
	code := app.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
