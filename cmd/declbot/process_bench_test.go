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
	bin := filepath.Join(b.TempDir(), "declbot")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatalf("build: %v", err)
	}
	dir := b.TempDir() // no config.yaml here
	for b.Loop() {
		cmd := exec.Command(bin, "ask", "What does the declaration say about critical minerals?")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("ask: %v\n%s", err, out)
		}
	}
}
