// Package llm talks to an OpenAI-compatible model server (OpenAI, Azure
// OpenAI, Ollama, vLLM, llama.cpp server, LM Studio): a chat model that
// writes answers and an embedder for retrieval. It is the only package that
// imports go-openai; callers see plain strings and vectors, and declare the
// interfaces they need themselves.
//
// go-openai has no HTTP timeout and never retries, so this package sets a
// timeout on every call and retries 429 and 5xx responses with capped
// exponential backoff, honouring Retry-After.
package llm

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Defaults applied by Config.withDefaults.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultHistoryTurns   = 6
	DefaultEmbeddingModel = "text-embedding-3-small"
	DefaultMaxRetries     = 2
	DefaultRetryBaseDelay = 500 * time.Millisecond
	DefaultMaxRetryWait   = 10 * time.Second
	DefaultCacheSize      = 1024
)

// Config says which server and model to use. Only BaseURL and, for chat,
// Model are required; an empty APIKey is allowed for local servers.
type Config struct {
	BaseURL string
	APIKey  string
	Model   string
	// Timeout bounds one call, retries included (default 30 s).
	Timeout time.Duration
	// MaxTokens caps the answer length; 0 leaves it to the server.
	MaxTokens int
	// Temperature 0 is sent as a tiny non-zero value: go-openai omits a
	// zero temperature, and servers then use their default (often 0.7-1).
	Temperature float32
	// HistoryTurns is how many previous turns of a thread the follow-up
	// rewriter sees (default 6).
	HistoryTurns int

	// EmbeddingModel defaults to text-embedding-3-small.
	EmbeddingModel string
	// EmbeddingBaseURL defaults to BaseURL.
	EmbeddingBaseURL string
	// EmbeddingDims is the vector size. It is known for OpenAI's models; for
	// others, set it so that Spec is right before the first call (an index
	// built with the embedder records it, and a mismatch forces a rebuild).
	EmbeddingDims int
	// CacheSize is the number of query embeddings kept (default 1024).
	CacheSize int

	// MaxRetries is how many times a 429 or 5xx is retried (default 2, so
	// three attempts in all); negative disables retries.
	MaxRetries int
	// RetryBaseDelay is the first backoff delay, doubled at each retry
	// (default 500 ms).
	RetryBaseDelay time.Duration
	// MaxRetryWait caps one wait. A server asking (Retry-After) for longer
	// is not retried: the caller falls back sooner rather than later.
	MaxRetryWait time.Duration
}

// tinyTemperature stands for a configured temperature of 0.
const tinyTemperature = 1e-6

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.HistoryTurns <= 0 {
		c.HistoryTurns = DefaultHistoryTurns
	}
	if c.EmbeddingModel == "" {
		c.EmbeddingModel = DefaultEmbeddingModel
	}
	if c.EmbeddingBaseURL == "" {
		c.EmbeddingBaseURL = c.BaseURL
	}
	if c.CacheSize <= 0 {
		c.CacheSize = DefaultCacheSize
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	}
	if c.RetryBaseDelay <= 0 {
		c.RetryBaseDelay = DefaultRetryBaseDelay
	}
	if c.MaxRetryWait <= 0 {
		c.MaxRetryWait = DefaultMaxRetryWait
	}
	if c.Temperature <= 0 {
		c.Temperature = tinyTemperature
	}
	return c
}

// Errors a caller may branch on.
var (
	// ErrRefused: the model declined to answer (a refusal or a content
	// filter).
	ErrRefused = errors.New("model refused to answer")
	// ErrEmpty: the model returned no text.
	ErrEmpty = errors.New("model returned an empty answer")
)

// newClient returns a go-openai client for baseURL with the timeout and the
// retrying HTTP client.
func newClient(c Config, baseURL string, sleep sleepFunc) (*openai.Client, error) {
	if baseURL == "" {
		return nil, errors.New("llm: base_url is empty")
	}
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("llm: base_url %q is not an http(s) URL", baseURL)
	}
	oc := clientConfig(c.APIKey, u)
	oc.HTTPClient = &retryDoer{
		client:     &http.Client{Timeout: c.Timeout},
		maxRetries: c.MaxRetries,
		baseDelay:  c.RetryBaseDelay,
		maxWait:    c.MaxRetryWait,
		sleep:      sleep,
	}
	return openai.NewClientWithConfig(oc), nil
}

// azureAPIVersion is the Azure OpenAI data-plane API version sent with
// every request to an Azure endpoint (the generally available one).
const azureAPIVersion = "2024-10-21"

// clientConfig returns go-openai's configuration for the server at u. An
// Azure OpenAI resource (*.openai.azure.com, *.cognitiveservices.azure.com)
// takes its key in an api-key header, names deployments rather than models
// in its paths and wants an api-version: llm.model is then the deployment
// name, sent as it is. Any other server is spoken to as OpenAI.
func clientConfig(key string, u *url.URL) openai.ClientConfig {
	host := strings.ToLower(u.Hostname())
	if strings.HasSuffix(host, ".openai.azure.com") || strings.HasSuffix(host, ".cognitiveservices.azure.com") {
		oc := openai.DefaultAzureConfig(key, strings.TrimSuffix(u.String(), "/"))
		oc.APIVersion = azureAPIVersion
		oc.AzureModelMapperFunc = func(model string) string { return model }
		return oc
	}
	oc := openai.DefaultConfig(key)
	oc.BaseURL = u.String()
	return oc
}
