package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadConfig feeds LoadConfig any file: it must return a config that
// validates, or a *ConfigError of one-line problems naming the file.
func FuzzLoadConfig(f *testing.F) {
	for _, seed := range []string{
		"",
		"retrieval:\n  k: 3\n",
		"retrieval:\n  k: 11\n  embedder: magic\n",
		"discord:\n  token: abc\n  shard_id: 2\n  shard_count: 2\n",
		"llm:\n  base_url: http://127.0.0.1:1/v1\n  timeout: 1h\n",
		"log:\n  level: loud\n  format: xml\n  questions: yes\n",
		"server:\n  listen: 127.0.0.1:9090\n",
		"corpus:\n  include_bundled: false\n",
		"unknown: 1\n",
		"retrieval: [1, 2\n",
		"a: &a [*a]\n",
		"llm:\n  timeout: 10\n",
		"\t- x\n",
	} {
		f.Add([]byte(seed))
	}
	// The documented example, when the tree has one.
	if data, err := os.ReadFile(filepath.Join("..", "..", "config.example.yaml")); err == nil {
		f.Add(data)
	}
	// One file, rewritten each time: a fuzz worker runs its inputs one
	// after the other.
	path := filepath.Join(f.TempDir(), "config.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if err == nil {
			if probs := cfg.Validate(); len(probs) > 0 {
				t.Fatalf("LoadConfig accepted a config with problems: %v", probs)
			}
			return
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || len(ce.Problems) == 0 {
			t.Fatalf("LoadConfig: %v (%T), want a *ConfigError", err, err)
		}
		for _, p := range ce.Problems {
			if !strings.HasPrefix(p, path+":") || strings.Contains(p, "\n") {
				t.Fatalf("problem %q: want one line starting with the path", p)
			}
		}
	})
}
