package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// yamlPaths lists every key path of a config type: "discord.rate_limit.per_minute".
func yamlPaths(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		path := prefix + name
		if f.Type.Kind() == reflect.Struct {
			out = append(out, yamlPaths(f.Type, path+".")...)
			continue
		}
		out = append(out, path)
	}
	return out
}

// TestExampleConfig checks that config.example.yaml parses strictly,
// documents every key of Config and no other, and shows the defaults.
func TestExampleConfig(t *testing.T) {
	path := filepath.Join("..", "..", "config.example.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	var walk func(m map[string]any, prefix string)
	walk = func(m map[string]any, prefix string) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(sub, prefix+k+".")
				continue
			}
			have[prefix+k] = true
		}
	}
	walk(raw, "")
	want := yamlPaths(reflect.TypeFor[Config](), "")
	for _, p := range want {
		if !have[p] {
			t.Errorf("config.example.yaml lacks %s", p)
		}
		delete(have, p)
	}
	for p := range have {
		t.Errorf("config.example.yaml has %s, which Config does not", p)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("example does not load: %v", err)
	}
	if !reflect.DeepEqual(normalise(cfg), normalise(DefaultConfig())) {
		t.Errorf("example values differ from DefaultConfig:\nexample %+v\ndefault %+v", cfg, DefaultConfig())
	}
}

// normalise makes nil and empty lists compare equal.
func normalise(c Config) Config {
	fix := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return s
	}
	c.Corpus.Sources = fix(c.Corpus.Sources)
	c.Discord.GuildIDs = fix(c.Discord.GuildIDs)
	c.Discord.Maintainers.Users = fix(c.Discord.Maintainers.Users)
	c.Discord.Maintainers.Roles = fix(c.Discord.Maintainers.Roles)
	return c
}

func TestLoadConfigProblems(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "retrieval:\n  colour: red\n", []string{"retrieval.colour: unknown key"}},
		{"unknown section", "colour: red\n", []string{"colour: unknown key"}},
		{"wrong type", "discord:\n  rate_limit:\n    per_minute: many\n", []string{"discord.rate_limit.per_minute: wrong type (a whole number wanted"}},
		{"bad duration", "llm:\n  timeout: soon\n", []string{"llm.timeout"}},
		{"out of range", "retrieval:\n  k: 0\nllm:\n  temperature: 3\n", []string{"retrieval.k: 0 is out of range (1 to 10)", "llm.temperature: 3 is out of range (0 to 2)"}},
		{"enum", "log:\n  format: xml\n", []string{`log.format: "xml" is not allowed (auto, text or json)`}},
		{"model needed", "llm:\n  base_url: http://localhost:11434/v1\n", []string{"llm.model: required when llm.base_url is set"}},
		{"shard", "discord:\n  shard_id: 2\n  shard_count: 2\n", []string{"discord.shard_id: 2 is out of range"}},
		{"nothing to index", "corpus:\n  include_bundled: false\n", []string{"corpus.include_bundled: false needs at least one entry in corpus.sources"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			ce, ok := err.(*ConfigError)
			if !ok {
				t.Fatalf("err = %v, want *ConfigError", err)
			}
			if len(ce.Problems) != len(tt.want) {
				t.Fatalf("problems = %q, want %d", ce.Problems, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(ce.Problems[i], w) || !strings.HasPrefix(ce.Problems[i], path+": ") {
					t.Errorf("problem %d = %q, want it to name the file and contain %q", i, ce.Problems[i], w)
				}
			}
		})
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("discord:\n  token: sekrit-token\nllm:\n  api_key_env: MY_KEY\n"), 0o644)
	code, out, errs := run(t, "config", "check", "--config", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "sekrit") {
		t.Error("the token is printed")
	}
	for _, w := range []string{`token: "********"`, "api_key_env: MY_KEY", "# MY_KEY: not set", "configuration OK", "per_minute: 6"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("retrieval:\n  k: 50\n  embedder: foo\n"), 0o644)
	code, out, errs = run(t, "config", "check", "--config", bad)
	if code != 2 || out != "" || strings.Count(errs, "\n") != 2 {
		t.Errorf("bad config: exit %d, stdout %q, stderr %q; want 2, nothing, two lines", code, out, errs)
	}
}
