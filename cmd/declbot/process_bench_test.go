package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkAskProcess runs `declbot ask` as a whole process, as a user
// does: start, build the bundled index in memory, answer, exit. The binary
// is built once, outside the timing.
func BenchmarkAskProcess(b *testing.B) {
	bin := buildDeclbot(b, b.TempDir())
	dir := b.TempDir() // no config.yaml here
	for b.Loop() {
		cmd := exec.Command(bin, "ask", "What does the declaration say about critical minerals?")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("ask: %v\n%s", err, out)
		}
	}
}

// buildDeclbot builds the command, static as it ships, into dir and
// returns the binary's path, for the tests and benchmarks that run it as a
// process.
func buildDeclbot(tb testing.TB, dir string) string {
	tb.Helper()
	bin := filepath.Join(dir, "declbot")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
