// Package earlysignals ignores SIGHUP from the moment the program's
// packages start initialising, before main runs.
//
// Its default action ends the process, silently and with a status
// systemd takes for a clean exit, and `systemctl reload` right after a
// start sends one. main installs the real handlers (SIGHUP rebuilds a
// serving bot's index, other commands ignore it), but only after every
// imported package has initialised, some 8 ms after exec; Go initialises
// this package, which imports nothing heavy, before most of those (see
// the package initialization order in the Go specification: ready
// packages in import path order, and cmd/declbot/internal sorts before
// corpus, retrieval and the third-party packages after
// github.com/declbot). A SIGHUP in that window is ignored rather than
// fatal; signal.Notify in main takes the signal back.
//
// This is the only package-level side effect of the program: nothing
// else can run earlier.
package earlysignals

import (
	"os/signal"
	"syscall"
)

func init() { signal.Ignore(syscall.SIGHUP) }
