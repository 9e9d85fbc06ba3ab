package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/token"
)

// Config is the whole configuration file. config.example.yaml documents
// every key and mirrors this type exactly (TestExampleConfig checks it).
type Config struct {
	Corpus    CorpusConfig    `yaml:"corpus"`
	Index     IndexConfig     `yaml:"index"`
	Retrieval RetrievalConfig `yaml:"retrieval"`
	LLM       LLMConfig       `yaml:"llm"`
	Discord   DiscordConfig   `yaml:"discord"`
	Server    ServerConfig    `yaml:"server"`
	Log       LogConfig       `yaml:"log"`
}

// CorpusConfig says which documents to answer from.
type CorpusConfig struct {
	Sources        []string `yaml:"sources"`
	IncludeBundled bool     `yaml:"include_bundled"`
}

// IndexConfig locates the index file; empty means build in memory.
type IndexConfig struct {
	Path string `yaml:"path"`
}

// RetrievalConfig tunes search.
type RetrievalConfig struct {
	Embedder         string `yaml:"embedder"`
	Dims             int    `yaml:"dims"`
	EmbeddingModel   string `yaml:"embedding_model"`
	EmbeddingBaseURL string `yaml:"embedding_base_url"`
	K                int    `yaml:"k"`
}

// LLMConfig points at an OpenAI-compatible model server; empty BaseURL
// means extractive answers only.
type LLMConfig struct {
	BaseURL      string        `yaml:"base_url"`
	APIKeyEnv    string        `yaml:"api_key_env"`
	Model        string        `yaml:"model"`
	Timeout      time.Duration `yaml:"timeout"`
	MaxTokens    int           `yaml:"max_tokens"`
	Temperature  float64       `yaml:"temperature"`
	HistoryTurns int           `yaml:"history_turns"`
}

// DiscordConfig configures `declbot serve`.
type DiscordConfig struct {
	Token           string            `yaml:"token"`
	APIURL          string            `yaml:"api_url"`
	GuildIDs        []string          `yaml:"guild_ids"`
	Maintainers     MaintainersConfig `yaml:"maintainers"`
	ReplyInThread   bool              `yaml:"reply_in_thread"`
	AllowDMs        bool              `yaml:"allow_dms"`
	RateLimit       RateLimitConfig   `yaml:"rate_limit"`
	ShutdownTimeout time.Duration     `yaml:"shutdown_timeout"`
	ShardID         int               `yaml:"shard_id"`
	ShardCount      int               `yaml:"shard_count"`
}

// MaintainersConfig lists who may run /reindex.
type MaintainersConfig struct {
	Users []string `yaml:"users"`
	Roles []string `yaml:"roles"`
}

// RateLimitConfig bounds questions per user.
type RateLimitConfig struct {
	PerMinute int `yaml:"per_minute"`
}

// ServerConfig is the health and metrics listener; empty Listen is off.
type ServerConfig struct {
	Listen string `yaml:"listen"`
}

// LogConfig sets logging.
type LogConfig struct {
	Level     string `yaml:"level"`
	Format    string `yaml:"format"`
	Questions bool   `yaml:"questions"`
}

// DefaultConfig is the configuration used when no file is given; a file
// overrides only the keys it sets.
func DefaultConfig() Config {
	return Config{
		Corpus:    CorpusConfig{IncludeBundled: true},
		Retrieval: RetrievalConfig{Embedder: "hash", EmbeddingModel: "text-embedding-3-small", K: 3},
		LLM:       LLMConfig{APIKeyEnv: "OPENAI_API_KEY", Timeout: 30 * time.Second, MaxTokens: 600, Temperature: 0.1, HistoryTurns: 6},
		Discord: DiscordConfig{
			APIURL: "https://discord.com/api/v9/", ReplyInThread: true, AllowDMs: true,
			RateLimit: RateLimitConfig{PerMinute: 6}, ShutdownTimeout: 10 * time.Second, ShardCount: 1,
		},
		Log: LogConfig{Level: "info", Format: "auto"},
	}
}

// DefaultConfigPath is read when --config is not given and it exists.
const DefaultConfigPath = "config.yaml"

// LoadConfig reads path over the defaults. An empty path reads
// DefaultConfigPath if present, else returns the defaults. Problems are
// returned as a *ConfigError listing one line per key.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	explicit := path != ""
	if !explicit {
		path = DefaultConfigPath
	}
	data, err := readInput(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return cfg, nil
		}
		return cfg, &ConfigError{Problems: []string{fmt.Sprintf("%s: cannot read: %s", path, plainIOError(err))}}
	}
	if err := yaml.UnmarshalWithOptions(data, &cfg, yaml.Strict()); err != nil {
		return cfg, &ConfigError{Problems: []string{path + ": " + yamlProblem(data, err)}}
	}
	if probs := cfg.Validate(); len(probs) > 0 {
		for i := range probs {
			probs[i] = path + ": " + probs[i]
		}
		return cfg, &ConfigError{Problems: probs}
	}
	return cfg, nil
}

// ConfigError lists every problem found in a configuration.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string { return strings.Join(e.Problems, "\n") }

// yamlProblem turns a go-yaml error into one line that names the key path
// and what is wrong: "retrieval.k: wrong type (int wanted, string given)".
func yamlProblem(data []byte, err error) string {
	var (
		te  *yaml.TypeError
		ue  *yaml.UnknownFieldError
		de  *yaml.DuplicateKeyError
		oe  *yaml.OverflowError
		tok *token.Token
		msg string
	)
	switch {
	case errors.As(err, &ue):
		tok, msg = ue.Token, "unknown key"
	case errors.As(err, &te):
		tok, msg = te.Token, fmt.Sprintf("wrong type (%s wanted, %s given)", kindName(te.DstType), kindName(te.SrcType))
	case errors.As(err, &de):
		tok, msg = de.Token, "key given twice"
	case errors.As(err, &oe):
		tok, msg = oe.Token, fmt.Sprintf("%s is out of range for %s", oe.SrcNum, kindName(oe.DstType))
	}
	if tok != nil && tok.Position != nil {
		if path := keyPath(data, tok.Position.Line); path != "" {
			return path + ": " + msg
		}
		return fmt.Sprintf("line %d: %s", tok.Position.Line, msg)
	}
	// Errors from value parsers (a duration, say) carry no position, but
	// quote the value: find the key that holds it.
	msg = firstLine(err.Error())
	if m := quotedValue.FindStringSubmatch(msg); m != nil {
		for i, l := range strings.Split(string(data), "\n") {
			if _, v, ok := strings.Cut(l, ":"); ok && strings.Trim(strings.TrimSpace(v), `"'`) == m[1] {
				if path := keyPath(data, i+1); path != "" {
					return path + ": " + msg
				}
			}
		}
	}
	return msg
}

// quotedValue finds the value a parse error quotes: time: invalid duration "soon".
var quotedValue = regexp.MustCompile(`"([^"]+)"`)

// kindName says what a Go type holds in words a config author knows.
func kindName(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	if t == reflect.TypeFor[time.Duration]() {
		return "a duration like 30s"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Int32:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	}
	return t.String()
}

// keyPath returns the dotted path of the key on line (1-based) of a YAML
// document, read from indentation: "discord.rate_limit.per_minute".
func keyPath(data []byte, line int) string {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	var path []string
	indent := -1
	for i := line - 1; i >= 0; i-- {
		l := lines[i]
		t := strings.TrimLeft(l, " ")
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "- ") {
			continue
		}
		ind := len(l) - len(t)
		if indent >= 0 && ind >= indent {
			continue
		}
		key, _, ok := strings.Cut(t, ":")
		if !ok {
			continue
		}
		path = append([]string{strings.TrimSpace(key)}, path...)
		indent = ind
		if ind == 0 {
			break
		}
	}
	return strings.Join(path, ".")
}

func plainIOError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Validate returns one line per out-of-range value, naming its key path
// and what is allowed.
func (c Config) Validate() []string {
	var p []string
	bad := func(key, format string, args ...any) { p = append(p, key+": "+fmt.Sprintf(format, args...)) }
	switch c.Retrieval.Embedder {
	case "hash", "openai":
	default:
		bad("retrieval.embedder", "%q is not allowed (hash or openai)", c.Retrieval.Embedder)
	}
	if c.Retrieval.Dims < 0 || c.Retrieval.Dims > 4096 {
		bad("retrieval.dims", "%d is out of range (0 for the default, up to 4096)", c.Retrieval.Dims)
	}
	if c.Retrieval.K < 1 || c.Retrieval.K > 10 {
		bad("retrieval.k", "%d is out of range (1 to 10)", c.Retrieval.K)
	}
	if c.Retrieval.Embedder == "openai" && c.LLM.BaseURL == "" && c.Retrieval.EmbeddingBaseURL == "" {
		bad("retrieval.embedder", "openai needs llm.base_url or retrieval.embedding_base_url")
	}
	if c.LLM.BaseURL != "" && c.LLM.Model == "" {
		bad("llm.model", "required when llm.base_url is set")
	}
	if c.LLM.Timeout <= 0 || c.LLM.Timeout > 10*time.Minute {
		bad("llm.timeout", "%s is out of range (above 0, up to 10m)", c.LLM.Timeout)
	}
	if c.LLM.MaxTokens < 1 || c.LLM.MaxTokens > 32768 {
		bad("llm.max_tokens", "%d is out of range (1 to 32768)", c.LLM.MaxTokens)
	}
	if c.LLM.Temperature < 0 || c.LLM.Temperature > 2 {
		bad("llm.temperature", "%g is out of range (0 to 2)", c.LLM.Temperature)
	}
	if c.LLM.HistoryTurns < 0 || c.LLM.HistoryTurns > 50 {
		bad("llm.history_turns", "%d is out of range (0 to 50)", c.LLM.HistoryTurns)
	}
	if c.Discord.RateLimit.PerMinute < 0 || c.Discord.RateLimit.PerMinute > 600 {
		bad("discord.rate_limit.per_minute", "%d is out of range (0 for no limit, up to 600)", c.Discord.RateLimit.PerMinute)
	}
	if c.Discord.ShutdownTimeout < 0 || c.Discord.ShutdownTimeout > 10*time.Minute {
		bad("discord.shutdown_timeout", "%s is out of range (0 to 10m)", c.Discord.ShutdownTimeout)
	}
	if c.Discord.ShardCount < 1 {
		bad("discord.shard_count", "%d is out of range (1 or more)", c.Discord.ShardCount)
	}
	if c.Discord.ShardID < 0 || c.Discord.ShardID >= max(c.Discord.ShardCount, 1) {
		bad("discord.shard_id", "%d is out of range (0 to shard_count-1)", c.Discord.ShardID)
	}
	if !strings.HasPrefix(c.Discord.APIURL, "http://") && !strings.HasPrefix(c.Discord.APIURL, "https://") {
		bad("discord.api_url", "%q is not an http(s) URL", c.Discord.APIURL)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "%q is not allowed (debug, info, warn or error)", c.Log.Level)
	}
	switch c.Log.Format {
	case "auto", "text", "json":
	default:
		bad("log.format", "%q is not allowed (auto, text or json)", c.Log.Format)
	}
	if !c.Corpus.IncludeBundled && len(c.Corpus.Sources) == 0 {
		bad("corpus.include_bundled", "false needs at least one entry in corpus.sources")
	}
	return p
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
