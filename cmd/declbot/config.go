package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/declbot/declbot/bot/discord"
	"github.com/declbot/declbot/bot/insights"
	"github.com/declbot/declbot/corpus"
)

// Config is the whole configuration file. config.example.yaml documents
// every key and mirrors this type exactly (TestExampleConfig checks it).
type Config struct {
	Corpus    CorpusConfig    `yaml:"corpus"`
	Index     IndexConfig     `yaml:"index"`
	Retrieval RetrievalConfig `yaml:"retrieval"`
	LLM       LLMConfig       `yaml:"llm"`
	Discord   discord.Config  `yaml:"discord"`
	Server    ServerConfig    `yaml:"server"`
	Log       LogConfig       `yaml:"log"`
	Insights  InsightsConfig  `yaml:"insights"`
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

// ServerConfig is the health and metrics listener; empty Listen is off.
type ServerConfig struct {
	Listen string `yaml:"listen"`
}

// InsightsConfig says what is kept of the questions and ratings, and
// where (see bot/insights).
type InsightsConfig struct {
	Enabled bool `yaml:"enabled"`
	// Path is the SQLite file; empty means declbot.insights beside the
	// index file.
	Path string `yaml:"path"`
	// Database, a postgres:// URL, uses PostgreSQL instead of the file.
	Database      string `yaml:"database"`
	Questions     string `yaml:"questions"`
	RetentionDays int    `yaml:"retention_days"`
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
		Discord:   discord.DefaultConfig(),
		Log:       LogConfig{Level: "info", Format: "auto"},
		Insights:  InsightsConfig{Enabled: true, Questions: string(insights.KeepUnanswered), RetentionDays: 90},
	}
}

// DefaultConfigPath is read when --config is not given and it exists.
const DefaultConfigPath = "config.yaml"

// LoadConfig reads path over the defaults. An empty path reads
// DefaultConfigPath if present, else returns the defaults; an empty file,
// or one of comments only (--config /dev/null), means the defaults too.
// Every problem is found in one pass and returned as a *ConfigError, one
// line each: "config.yaml:12: retrieval.k: 50 is out of range (1 to 10)".
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
	d := decoder{lines: map[string]int{}}
	d.file(data, &cfg)
	// A value that could not be decoded kept its default: check the rest,
	// but say nothing more about that one.
	failed := map[string]bool{}
	for _, p := range d.probs {
		failed[p.Path] = true
	}
	for _, p := range cfg.Validate() {
		if !failed[p.Path] {
			d.probs = append(d.probs, p)
		}
	}
	if len(d.probs) == 0 {
		return cfg, nil
	}
	for i := range d.probs {
		if d.probs[i].Line == 0 {
			d.probs[i].Line = d.line(d.probs[i].Path)
		}
	}
	// In the order of the file; problems of keys it does not have last.
	sort.SliceStable(d.probs, func(i, j int) bool {
		li, lj := d.probs[i].Line, d.probs[j].Line
		return li != 0 && (lj == 0 || li < lj)
	})
	ce := &ConfigError{}
	const most = 50 // a screenful; the rest are likely the same mistake
	if len(d.probs) > most {
		more := len(d.probs) - most
		d.probs = append(d.probs[:most], Problem{Msg: fmt.Sprintf("and %d more problems", more)})
	}
	for _, p := range d.probs {
		where := path
		if p.Line > 0 {
			where += ":" + strconv.Itoa(p.Line)
		}
		ce.Problems = append(ce.Problems, where+": "+p.String())
	}
	return cfg, ce
}

// ConfigError lists every problem found in a configuration.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string { return strings.Join(e.Problems, "\n") }

// Problem is one thing wrong in a configuration: the key's dotted path
// ("discord.guild_ids[1]"), what is wrong and what is allowed, and the
// line of the file it is on (0 when unknown).
type Problem struct {
	Path string
	Msg  string
	Line int
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// decoder sets a Config from a YAML document node by node, so that it can
// say on which line each problem is and carry on past it: go-yaml's own
// decoder stops at the first. It knows the few kinds Config is made of.
type decoder struct {
	probs []Problem
	lines map[string]int // key path -> line of the key, for Validate's problems
}

// line returns the line of path, or of the nearest enclosing key the file
// has ("discord" for a discord.* key left at its default).
func (d *decoder) line(path string) int {
	for path != "" {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

func (d *decoder) bad(n ast.Node, path, format string, args ...any) {
	d.badAt(nodeLine(n), path, format, args...)
}

func (d *decoder) badAt(line int, path, format string, args ...any) {
	d.probs = append(d.probs, Problem{Path: path, Msg: fmt.Sprintf(format, args...), Line: line})
}

func nodeLine(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// file decodes one YAML document into out, a pointer to what the file
// holds (a Config, a list of questions).
func (d *decoder) file(data []byte, out any) {
	if !utf8.Valid(data) {
		bad := len(data)
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				bad = i
				break
			}
			i += n
		}
		d.badAt(1+bytes.Count(data[:bad], []byte("\n")), "", "not UTF-8 text (save the file as UTF-8)")
		return
	}
	if line, deep := corpus.YAMLTooDeep(data, maxNestDepth); deep {
		d.badAt(line, "", "lists or mappings nested more than %d deep (a configuration needs 5)", maxNestDepth)
		return
	}
	// Repeated keys are reported with the rest, not as a syntax error
	// that stops at the first.
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) {
			line := 0
			if tk := se.GetToken(); tk != nil && tk.Position != nil {
				line = tk.Position.Line
			}
			d.badAt(line, "", "not valid YAML: %s", syntaxMessage(data, line, se.GetMessage()))
			return
		}
		d.bad(nil, "", "not valid YAML: %s", firstLine(err.Error()))
		return
	}
	var body ast.Node
	for i, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if i > 0 && body != nil {
			d.bad(doc.Body, "", "more than one YAML document (one wanted)")
			return
		}
		body = doc.Body
	}
	d.value(body, "", reflect.ValueOf(out).Elem())
}

// syntaxMessage is go-yaml's message for a syntax error on line (1-based)
// of data, said plainly where it would not be: for a tab in a line's
// indentation go-yaml says "found character '\t' that cannot start any
// token", which a terminal shows as found character '\ufffd' once the
// control character is made printable.
func syntaxMessage(data []byte, line int, msg string) string {
	lines := bytes.Split(data, []byte("\n"))
	if line >= 1 && line <= len(lines) {
		text := lines[line-1]
		indent := text[:len(text)-len(bytes.TrimLeft(text, " \t"))]
		if bytes.IndexByte(indent, '\t') >= 0 {
			return "a tab in the indentation (YAML indents with spaces)"
		}
	}
	return firstLine(msg)
}

// maxNestDepth bounds the nesting of lists and mappings in a file the
// user names (see corpus.YAMLTooDeep).
const maxNestDepth = 32

// unwrap strips what does not change a value: a tag, an anchor, a comment.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		case *ast.CommentGroupNode:
			return nil
		default:
			return n
		}
	}
}

var durationType = reflect.TypeFor[time.Duration]()

// value sets v from n. A missing or null value keeps the default: a
// section whose keys are all commented out means its defaults.
func (d *decoder) value(n ast.Node, path string, v reflect.Value) {
	n = unwrap(n)
	if n == nil {
		return
	}
	if _, ok := n.(*ast.NullNode); ok {
		return
	}
	if _, ok := n.(*ast.AliasNode); ok {
		d.bad(n, path, "aliases (*name) are not supported here (write the value out)")
		return
	}
	switch {
	case v.Type() == durationType:
		d.duration(n, path, v)
	case v.Kind() == reflect.Struct:
		d.mapping(n, path, v)
	case v.Kind() == reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.bad(n, path, "%s is not a list (a list wanted, like [a, b])", describe(n))
			return
		}
		out := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
		for i, item := range seq.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.lines[p] = nodeLine(item)
			d.value(item, p, out.Index(i))
		}
		v.Set(out)
	case v.Kind() == reflect.String:
		switch s := n.(type) {
		case *ast.StringNode:
			v.SetString(s.Value)
		case *ast.LiteralNode:
			v.SetString(s.Value.Value)
		case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
			// An unquoted id or number: its text, as written.
			v.SetString(n.GetToken().Value)
		default:
			d.bad(n, path, "%s is not a string (a string wanted)", describe(n))
		}
	case v.Kind() == reflect.Int:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			d.bad(n, path, "%s is not a whole number (a whole number wanted)", describe(n))
			return
		}
		if text := i.GetToken().Value; octalLike.MatchString(text) {
			d.bad(n, path, "%s has a leading zero, which YAML reads as octal (a whole number without it wanted)", text)
			return
		}
		var x int64 // as go-yaml read it: 0x1f, 0o17, 1_000
		switch y := i.Value.(type) {
		case int64:
			x, ok = y, true
		case uint64:
			x, ok = int64(y), y <= math.MaxInt64
		default:
			ok = false
		}
		if !ok || int64(int(x)) != x {
			d.bad(n, path, "%s is too large (a whole number wanted)", i.GetToken().Value)
			return
		}
		v.SetInt(x)
	case v.Kind() == reflect.Float64:
		switch f := n.(type) {
		case *ast.FloatNode:
			v.SetFloat(f.Value)
		case *ast.IntegerNode:
			x, err := strconv.ParseFloat(f.GetToken().Value, 64)
			if err != nil {
				d.bad(n, path, "%s is not a number (a number wanted)", describe(n))
				return
			}
			v.SetFloat(x)
		default:
			d.bad(n, path, "%s is not a number (a number wanted)", describe(n))
		}
	case v.Kind() == reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.bad(n, path, "%s is not true or false (true or false wanted)", describe(n))
			return
		}
		v.SetBool(b.Value)
	default:
		panic("config: no decoder for " + v.Type().String()) // a field added to Config without one
	}
}

// mapping sets the fields of struct v from the keys of n, reporting every
// unknown or repeated key.
func (d *decoder) mapping(n ast.Node, path string, v reflect.Value) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		if mv, single := n.(*ast.MappingValueNode); single {
			m = &ast.MappingNode{Values: []*ast.MappingValueNode{mv}}
		} else {
			what := "the file"
			if path != "" {
				what = "this section"
			}
			d.bad(n, path, "%s is not a mapping (%s holds keys: %s)", describe(n), what, strings.Join(fieldNames(v.Type()), ", "))
			return
		}
	}
	seen := map[string]bool{}
	for _, kv := range m.Values {
		key := kv.Key.GetToken().Value
		if _, merge := kv.Key.(*ast.MergeKeyNode); merge {
			d.bad(kv.Key, path, "merge keys (<<) are not supported here (write the keys out)")
			continue
		}
		p := key
		if path != "" {
			p = path + "." + key
		}
		field, ok := fieldByName(v, key)
		if !ok {
			d.bad(kv.Key, p, "unknown key (allowed here: %s)", strings.Join(fieldNames(v.Type()), ", "))
			continue
		}
		if seen[key] {
			d.bad(kv.Key, p, "key given twice (give it once)")
			continue
		}
		seen[key] = true
		d.lines[p] = nodeLine(kv.Key)
		d.value(kv.Value, p, field)
	}
}

// yamlName is the key a struct field is read from.
func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

func fieldByName(v reflect.Value, key string) (reflect.Value, bool) {
	for i := range v.NumField() {
		if yamlName(v.Type().Field(i)) == key {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func fieldNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if name := yamlName(t.Field(i)); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// duration reads a duration written for humans: 30s, 5m, 1h30m.
func (d *decoder) duration(n ast.Node, path string, v reflect.Value) {
	const allowed = "a number and a unit, like 30s, 5m or 1h30m"
	switch s := n.(type) {
	case *ast.StringNode:
		t, err := time.ParseDuration(strings.TrimSpace(s.Value))
		if err != nil {
			d.bad(n, path, "%q is not a duration (%s)", s.Value, allowed)
			return
		}
		v.SetInt(int64(t))
	case *ast.IntegerNode, *ast.FloatNode:
		d.bad(n, path, "%s has no unit (%s)", n.GetToken().Value, allowed)
	default:
		d.bad(n, path, "%s is not a duration (%s)", describe(n), allowed)
	}
}

// describe names a node's value in a problem: its text when it is a
// scalar, else what it is.
func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		return strconv.Quote(clip(n.GetToken().Value, 40))
	}
	if tk := n.GetToken(); tk != nil {
		return clip(tk.Value, 40)
	}
	return "this value"
}

func plainIOError(err error) string {
	if errors.Is(err, errTooLarge) {
		return err.Error()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Validate returns one problem per value that is of the right type but
// not a usable one, naming its key path, what is wrong and what is
// allowed. It is the only check of the configuration: the adapters
// receive their sections already checked.
func (c Config) Validate() []Problem {
	var p []Problem
	bad := func(key, format string, args ...any) {
		p = append(p, Problem{Path: key, Msg: fmt.Sprintf(format, args...)})
	}
	for i, src := range c.Corpus.Sources {
		key := fmt.Sprintf("corpus.sources[%d]", i)
		if strings.TrimSpace(src) == "" {
			bad(key, "empty (a file or folder path wanted)")
		} else if _, err := os.Stat(src); err != nil {
			bad(key, "%q cannot be read: %s (an existing file or folder wanted)", src, plainIOError(err))
		}
	}
	if c.Index.Path != "" {
		if st, err := os.Stat(c.Index.Path); err == nil && st.IsDir() {
			bad("index.path", "%q is a folder (the path of the index file wanted)", c.Index.Path)
		} else if err == nil && !st.Mode().IsRegular() {
			// A device or a pipe would be read without end, or block.
			bad("index.path", "%q is not a regular file (the path of the index file wanted)", c.Index.Path)
		}
	}

	switch c.Retrieval.Embedder {
	case "hash", "openai":
	default:
		bad("retrieval.embedder", "%q is not allowed (hash or openai)", c.Retrieval.Embedder)
	}
	if c.Retrieval.Dims < 0 || c.Retrieval.Dims > 4096 {
		bad("retrieval.dims", "%d is out of range (0 for the default, up to 4096)", c.Retrieval.Dims)
	}
	if strings.TrimSpace(c.Retrieval.EmbeddingModel) == "" {
		bad("retrieval.embedding_model", "empty (a model name wanted, like text-embedding-3-small)")
	}
	checkURL(bad, "retrieval.embedding_base_url", c.Retrieval.EmbeddingBaseURL, true)
	if c.Retrieval.K < 1 || c.Retrieval.K > 10 {
		bad("retrieval.k", "%d is out of range (1 to 10)", c.Retrieval.K)
	}
	if c.Retrieval.Embedder == "openai" && c.LLM.BaseURL == "" && c.Retrieval.EmbeddingBaseURL == "" {
		bad("retrieval.embedder", "openai needs a server (set llm.base_url or retrieval.embedding_base_url)")
	}

	checkURL(bad, "llm.base_url", c.LLM.BaseURL, true)
	if c.LLM.APIKeyEnv != "" && !envName.MatchString(c.LLM.APIKeyEnv) {
		bad("llm.api_key_env", "%q is not an environment variable name (letters, digits and _, like OPENAI_API_KEY)", c.LLM.APIKeyEnv)
	}
	if c.LLM.BaseURL != "" && strings.TrimSpace(c.LLM.Model) == "" {
		bad("llm.model", "empty (required when llm.base_url is set)")
	}
	if c.LLM.Timeout <= 0 || c.LLM.Timeout > 10*time.Minute {
		bad("llm.timeout", "%s is out of range (above 0, up to 10m)", c.LLM.Timeout)
	}
	if c.LLM.MaxTokens < 1 || c.LLM.MaxTokens > 32768 {
		bad("llm.max_tokens", "%d is out of range (1 to 32768)", c.LLM.MaxTokens)
	}
	if c.LLM.Temperature < 0 || c.LLM.Temperature > 2 || math.IsNaN(c.LLM.Temperature) {
		bad("llm.temperature", "%g is out of range (0 to 2)", c.LLM.Temperature)
	}
	if c.LLM.HistoryTurns < 0 || c.LLM.HistoryTurns > 50 {
		bad("llm.history_turns", "%d is out of range (0 to 50)", c.LLM.HistoryTurns)
	}

	dc := c.Discord
	if t := strings.TrimPrefix(strings.TrimSpace(dc.Token), "Bot "); strings.ContainsFunc(t, unicode.IsSpace) {
		bad("discord.token", "contains spaces (the token alone wanted; prefer DECLBOT_DISCORD_TOKEN)")
	}
	checkURL(bad, "discord.api_url", dc.APIURL, false)
	checkIDs(bad, "discord.guild_ids", dc.GuildIDs)
	checkIDs(bad, "discord.maintainers.users", dc.Maintainers.Users)
	checkIDs(bad, "discord.maintainers.roles", dc.Maintainers.Roles)
	if dc.RateLimit.PerMinute < 0 || dc.RateLimit.PerMinute > 600 {
		bad("discord.rate_limit.per_minute", "%d is out of range (0 for no limit, up to 600)", dc.RateLimit.PerMinute)
	}
	if dc.ShutdownTimeout < 0 || dc.ShutdownTimeout > 10*time.Minute {
		bad("discord.shutdown_timeout", "%s is out of range (0 to 10m)", dc.ShutdownTimeout)
	}
	if dc.ShardCount < 1 || dc.ShardCount > 4096 {
		bad("discord.shard_count", "%d is out of range (1 to 4096)", dc.ShardCount)
	}
	if dc.ShardID < 0 || dc.ShardID >= max(dc.ShardCount, 1) {
		bad("discord.shard_id", "%d is out of range (0 to shard_count-1)", dc.ShardID)
	}

	if c.Server.Listen != "" {
		if msg := checkListen(c.Server.Listen); msg != "" {
			bad("server.listen", "%q %s (host:port wanted, like 127.0.0.1:9090 or :9090)", c.Server.Listen, msg)
		}
	}

	in := c.Insights
	if in.Path != "" {
		if st, err := os.Stat(in.Path); err == nil && st.IsDir() {
			bad("insights.path", "%q is a folder (the path of the insights file wanted)", in.Path)
		}
	}
	if in.Database != "" {
		if u, err := url.Parse(in.Database); err != nil || !insights.IsDatabaseURL(in.Database) || u.Host == "" {
			bad("insights.database", "%s is not a PostgreSQL URL (like postgres://user@host/declbot; empty for the SQLite file)", redactDSN(in.Database))
		}
	}
	if _, err := insights.ParsePolicy(in.Questions); err != nil {
		bad("insights.questions", "%q is not allowed (none, unanswered or all)", clip(in.Questions, 40))
	}
	if in.RetentionDays < 1 || in.RetentionDays > 3650 {
		bad("insights.retention_days", "%d is out of range (1 to 3650)", in.RetentionDays)
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
	return p
}

// octalLike is an integer YAML 1.1 reads as octal: 010 is 8.
var octalLike = regexp.MustCompile(`^[-+]?0[0-9_]+$`)

// envName is what an environment variable may be called.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// checkURL reports a value that is not an http(s) URL with a host; empty
// is allowed when optional.
func checkURL(bad func(string, string, ...any), key, s string, optional bool) {
	if s == "" && optional {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad(key, "%q is not an http(s) URL (like https://example.org/v1)", s)
	}
}

// checkIDs reports each entry that is not a Discord id (a snowflake: a
// number of 17 to 20 digits, as Discord shows with Copy ID).
func checkIDs(bad func(string, string, ...any), key string, ids []string) {
	for i, id := range ids {
		if _, err := strconv.ParseUint(id, 10, 64); err != nil || len(id) < 17 || len(id) > 20 {
			bad(fmt.Sprintf("%s[%d]", key, i), "%q is not a Discord id (17 to 20 digits, from Copy ID in Discord)", clip(id, 40))
		}
	}
}

// checkListen says what is wrong with a listen address, or "".
func checkListen(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "is not an address"
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "has no port number from 0 to 65535"
	}
	if host != "" && net.ParseIP(host) == nil && !hostName.MatchString(host) {
		return "has a host that is neither an IP address nor a host name"
	}
	return ""
}

var hostName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)

// redactDSN is a database URL as it may be shown: its password masked,
// and nothing of a value that is not a URL.
func redactDSN(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "the value"
	}
	return strconv.Quote(u.Redacted())
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
