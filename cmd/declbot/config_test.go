package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
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
		{"unknown key", "retrieval:\n  colour: red\n", []string{"2: retrieval.colour: unknown key (allowed here: embedder, dims"}},
		{"unknown section", "colour: red\n", []string{"1: colour: unknown key"}},
		{"every unknown key", "colour: red\nretrieval:\n  shade: x\nlog:\n  hue: y\n", []string{"1: colour: unknown key", "3: retrieval.shade: unknown key", "5: log.hue: unknown key"}},
		{"wrong type", "discord:\n  rate_limit:\n    per_minute: many\n", []string{`3: discord.rate_limit.per_minute: "many" is not a whole number`}},
		{"every type error", "retrieval:\n  k: x\n  dims: [1]\nlog:\n  questions: maybe\n", []string{`2: retrieval.k: "x" is not a whole number`, "3: retrieval.dims: a list is not a whole number", `5: log.questions: "maybe" is not true or false`}},
		{"type errors and values", "retrieval:\n  k: x\nlog:\n  level: loud\n", []string{`2: retrieval.k: "x"`, `4: log.level: "loud" is not allowed`}},
		{"not truncated", "retrieval:\n  k: 3.5\n", []string{"2: retrieval.k: 3.5 is not a whole number"}},
		{"octal", "retrieval:\n  k: 010\n", []string{"2: retrieval.k: 010 has a leading zero"}},
		{"too large", "llm:\n  max_tokens: 18446744073709551615\n", []string{"2: llm.max_tokens: 18446744073709551615 is too large"}},
		{"bad duration", "llm:\n  timeout: soon\n", []string{`2: llm.timeout: "soon" is not a duration (a number and a unit, like 30s`}},
		{"duration without unit", "llm:\n  timeout: 10\n", []string{"2: llm.timeout: 10 has no unit"}},
		{"out of range", "retrieval:\n  k: 0\nllm:\n  temperature: 3\n", []string{"2: retrieval.k: 0 is out of range (1 to 10)", "4: llm.temperature: 3 is out of range (0 to 2)"}},
		{"enum", "log:\n  format: xml\n", []string{`2: log.format: "xml" is not allowed (auto, text or json)`}},
		{"model needed", "llm:\n  base_url: http://localhost:11434/v1\n", []string{"1: llm.model: empty (required when llm.base_url is set)"}},
		{"shard", "discord:\n  shard_id: 2\n  shard_count: 2\n", []string{"2: discord.shard_id: 2 is out of range"}},
		{"guild ids", "discord:\n  guild_ids:\n    - \"123456789012345678\"\n    - abc\n", []string{`4: discord.guild_ids[1]: "abc" is not a Discord id`}},
		{"unquoted ids", "discord:\n  guild_ids: [123456789012345678]\n  maintainers:\n    users: [alice]\n    roles: [12]\n", []string{`4: discord.maintainers.users[0]: "alice" is not a Discord id`, `5: discord.maintainers.roles[0]: "12" is not a Discord id`}},
		{"listen", "server:\n  listen: not an address\n", []string{`2: server.listen: "not an address" is not an address (host:port wanted`}},
		{"listen port", "server:\n  listen: 127.0.0.1:99999\n", []string{`2: server.listen: "127.0.0.1:99999" has no port number`}},
		{"rate cap", "discord:\n  rate_limit:\n    per_minute: 601\n", []string{"3: discord.rate_limit.per_minute: 601 is out of range (0 for no limit, up to 600)"}},
		{"missing source", "corpus:\n  sources:\n    - nosuch-folder\n", []string{`3: corpus.sources[0]: "nosuch-folder" cannot be read`}},
		{"index a device", "index:\n  path: /dev/null\n", []string{`2: index.path: "/dev/null" is not a regular file`}},
		{"key twice", "log:\n  level: info\n  level: debug\n", []string{"3: log.level: key given twice"}},
		{"syntax", "retrieval: [1, 2\n", []string{"1: not valid YAML"}},
		{"not a mapping", "- 1\n", []string{"1: a list is not a mapping"}},
		{"tab indentation", "retrieval:\n\tk: 3\n", []string{"2: not valid YAML: a tab in the indentation (YAML indents with spaces)"}},
		{"latin-1", "log:\n  level: info\n  format: \"\xe9\"\n", []string{"3: not UTF-8 text (save the file as UTF-8)"}},
		{"nested deep", "a: 1\nb: " + strings.Repeat("[", 40000) + "\n", []string{"2: lists or mappings nested more than 32 deep"}},
		{"compact lists deep", "a: 1\nb:\n  " + strings.Repeat("- ", 40) + "x\n", []string{"3: lists or mappings nested more than 32 deep"}},
		{"indented deep", "a:\n" + nestedKeys(40), []string{"33: lists or mappings nested more than 32 deep"}},
		{"brackets in strings", "discord:\n  token: \"" + strings.Repeat("[", 100) + "\"\n  api_url: '" + strings.Repeat("{", 100) + "'\n", []string{`3: discord.api_url: "{{{{`}},
		{"section not a mapping", "log: loud\n", []string{`1: log: "loud" is not a mapping (this section holds keys: level, format, questions)`}},
	}
	tests = append(tests, struct {
		name, yaml string
		want       []string
	}{"many problems", "discord:\n  guild_ids: [" + strings.Repeat("abc, ", 999) + "abc]\n", append(slices.Repeat([]string{`2: discord.guild_ids`}, 50), " and 950 more problems")})
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
				if !strings.HasPrefix(ce.Problems[i], path+":"+w) {
					t.Errorf("problem %d = %q, want %q", i, ce.Problems[i], path+":"+w+"…")
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

// TestConfigDefaults checks that a file that sets nothing means the
// defaults: empty, comments only, sections left empty, /dev/null.
func TestConfigDefaults(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"empty":          "",
		"comments":       "# nothing here\n# nor here\n",
		"empty sections": "discord:\n  # token: x\nlog:\nretrieval: {}\n",
		"document start": "---\n# only a comment\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".yaml")
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := LoadConfig(path)
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			if !reflect.DeepEqual(cfg, DefaultConfig()) {
				t.Errorf("config %+v, want the defaults", cfg)
			}
		})
	}
	t.Run("dev null", func(t *testing.T) {
		for _, args := range [][]string{{"--config", "/dev/null", "config", "check"}, {"--config", "/dev/null", "cite", "4.2"}} {
			if code, _, errs := run(t, args...); code != 0 {
				t.Errorf("%v: exit %d: %s", args, code, errs)
			}
		}
	})
}

// badValues gives a value to every key of config.example.yaml that its
// type accepts, or not, but Validate must refuse.
var badValues = map[string]string{
	"corpus.sources":                `["no/such/folder"]`,
	"corpus.include_bundled":        "maybe",
	"index.path":                    `"."`,
	"retrieval.embedder":            "magic",
	"retrieval.dims":                "-1",
	"retrieval.embedding_model":     `""`,
	"retrieval.embedding_base_url":  "ftp://example.org",
	"retrieval.k":                   "3.5",
	"llm.base_url":                  "localhost:11434",
	"llm.api_key_env":               `"MY KEY"`,
	"llm.model":                     "[a, b]",
	"llm.timeout":                   "soon",
	"llm.max_tokens":                "0",
	"llm.temperature":               "hot",
	"llm.history_turns":             "51",
	"discord.token":                 `"two words"`,
	"discord.api_url":               "discord.com",
	"discord.guild_ids":             "[abc]",
	"discord.maintainers.users":     "[alice]",
	"discord.maintainers.roles":     `["12"]`,
	"discord.reply_in_thread":       "sometimes",
	"discord.allow_dms":             "2",
	"discord.rate_limit.per_minute": "601",
	"discord.shutdown_timeout":      "10",
	"discord.shard_id":              "5",
	"discord.shard_count":           "0",
	"server.listen":                 "not an address",
	"log.level":                     "loud",
	"log.format":                    "xml",
	"log.questions":                 `"yes"`,
	"insights.enabled":              "on",
	"insights.path":                 `"."`,
	"insights.database":             "mysql://db/declbot",
	"insights.questions":            "some",
	"insights.retention_days":       "0",
}

// TestConfigEveryKeyBad gives each key of config.example.yaml in turn a
// bad value, in place, and expects a problem naming the file, the line
// and the key path; the line is found with go-yaml's path API, apart from
// the decoder under test.
func TestConfigEveryKeyBad(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	keys := yamlPaths(reflect.TypeFor[Config](), "")
	for _, key := range keys {
		if _, ok := badValues[key]; !ok {
			t.Errorf("badValues has no bad value for %s", key)
		}
	}
	file, err := parser.ParseBytes(example, 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			p, err := yaml.PathString("$." + key)
			if err != nil {
				t.Fatal(err)
			}
			node, err := p.FilterFile(file)
			if err != nil {
				t.Fatalf("%s not in the example: %v", key, err)
			}
			line := node.GetToken().Position.Line
			lines := strings.Split(string(example), "\n")
			k, _, _ := strings.Cut(lines[line-1], ":")
			lines[line-1] = k + ": " + badValues[key]
			path := filepath.Join(dir, strings.ReplaceAll(key, ".", "-")+".yaml")
			if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = LoadConfig(path)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("%s: %s accepted (err %v)", key, badValues[key], err)
			}
			want := fmt.Sprintf("%s:%d: %s", path, line, key)
			found := false
			for _, p := range ce.Problems {
				if strings.HasPrefix(p, want) {
					found = true
					if !strings.Contains(p, "(") {
						t.Errorf("problem %q does not say what is allowed", p)
					}
				}
			}
			if !found {
				t.Errorf("problems %q, want one starting %q", ce.Problems, want)
			}
		})
	}
}

// TestConfigExitStatus checks that every command exits 2, not 1, on a
// configuration problem, found at load or later.
func TestConfigExitStatus(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(bad, []byte("discord:\n  guild_ids: [abc]\nserver:\n  listen: nowhere\n"), 0o644)
	for _, args := range [][]string{
		{"ask", "water"}, {"chapters"}, {"cite", "4.2"}, {"about"}, {"index", "--check"}, {"serve"}, {"config", "check"},
		{"eval", "--questions", "q.yaml"},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, _, errs := run(t, append([]string{"--config", bad}, args...)...)
			if code != 2 || strings.Count(errs, "\n") != 2 {
				t.Errorf("exit %d, stderr %q; want 2 and the two problems", code, errs)
			}
		})
	}
}

// nestedKeys returns n mappings, each the value of the one above it, one
// more indentation deep per line.
func nestedKeys(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i+1) + "k:\n")
	}
	return b.String()
}

// TestByteOrderMark: a configuration or a questions file saved with a
// UTF-8 byte order mark (Notepad's "UTF-8 with BOM") reads as without
// one, and its problems keep their lines.
func TestByteOrderMark(t *testing.T) {
	const bom = "\ufeff"
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("config", func(t *testing.T) {
		code, out, errs := runIn(t, dir, "--config", write("bom.yaml", bom+"retrieval:\n  k: 3\n"), "config", "check")
		if code != 0 || errs != "" || !strings.Contains(out, "k: 3") {
			t.Errorf("exit %d, stdout %q, stderr %q; want 0", code, out, errs)
		}
	})
	t.Run("config problem", func(t *testing.T) {
		code, _, errs := runIn(t, dir, "--config", write("bad.yaml", bom+"retrieval:\n  kk: 3\n"), "config", "check")
		if want := "bad.yaml:2: retrieval.kk: unknown key"; code != 2 || !strings.Contains(errs, want) || strings.Contains(errs, bom) {
			t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, want)
		}
	})
	t.Run("questions", func(t *testing.T) {
		q := write("q.yaml", bom+"- q: critical minerals\n  lang: en\n  chapters: [4]\n")
		code, out, errs := runIn(t, dir, "--config", os.DevNull, "eval", "--questions", q, "--json")
		if code != 0 || !strings.Contains(out, `"questions": 1`) {
			t.Errorf("exit %d, stdout %.80q, stderr %q; want 0 and one question", code, out, errs)
		}
	})
}
