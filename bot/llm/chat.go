package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// Chat is a chat model: it sends a system prompt and one user message and
// returns the assistant's text. It is safe for concurrent use.
type Chat struct {
	cfg    Config
	client *openai.Client
}

// NewChat returns a chat model for cfg. It fails when BaseURL is not an
// http(s) URL or Model is empty; it makes no request.
func NewChat(cfg Config) (*Chat, error) {
	return newChat(cfg, nil)
}

func newChat(cfg Config, sleep sleepFunc) (*Chat, error) {
	cfg = cfg.withDefaults()
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("llm: model is empty")
	}
	c, err := newClient(cfg, cfg.BaseURL, sleep)
	if err != nil {
		return nil, err
	}
	return &Chat{cfg: cfg, client: c}, nil
}

// Model returns the configured model name.
func (c *Chat) Model() string { return c.cfg.Model }

// HistoryTurns returns how many previous turns the follow-up rewriter should
// be given.
func (c *Chat) HistoryTurns() int { return c.cfg.HistoryTurns }

func (c *Chat) request(system, prompt string) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model: c.cfg.Model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: prompt},
		},
		MaxTokens:   c.cfg.MaxTokens,
		Temperature: c.cfg.Temperature,
	}
	if reasoningModel(c.cfg.Model) {
		// go-openai rejects, before sending, max_tokens and any temperature
		// but 1 for these models. Their token cap would also count hidden
		// reasoning, so none is sent: the timeout bounds the call.
		req.MaxTokens, req.Temperature = 0, 0
	}
	return req
}

// reasoningModel reports whether go-openai treats model as a reasoning
// model (its ReasoningValidator's prefixes).
func reasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// Complete returns the model's answer to prompt under system. Errors wrap
// ErrRefused when the model declined (refusal or content filter), ErrEmpty
// when it said nothing, context.DeadlineExceeded when the call took longer
// than the configured timeout, or the server's error after retries.
func (c *Chat) Complete(ctx context.Context, system, prompt string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	resp, err := c.client.CreateChatCompletion(ctx, c.request(system, prompt))
	if err != nil {
		return "", fmt.Errorf("chat %s: %w", c.cfg.Model, timeoutErr(ctx, err))
	}
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("chat %s: no choices: %w", c.cfg.Model, ErrEmpty)
	}
	ch := resp.Choices[0]
	if ch.Message.Refusal != "" || ch.FinishReason == openai.FinishReasonContentFilter {
		return "", fmt.Errorf("chat %s: %w", c.cfg.Model, ErrRefused)
	}
	if strings.TrimSpace(ch.Message.Content) == "" {
		return "", fmt.Errorf("chat %s: %w", c.cfg.Model, ErrEmpty)
	}
	return ch.Message.Content, nil
}

// Stream is Complete with streaming: onDelta (which may be nil) is called
// with each piece of text as it arrives, in order, from the calling
// goroutine. It returns the whole text. On error, the text streamed so far
// has been delivered but is not returned.
func (c *Chat) Stream(ctx context.Context, system, prompt string, onDelta func(string)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	stream, err := c.client.CreateChatCompletionStream(ctx, c.request(system, prompt))
	if err != nil {
		return "", fmt.Errorf("chat stream %s: %w", c.cfg.Model, timeoutErr(ctx, err))
	}
	defer stream.Close()
	var b strings.Builder
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("chat stream %s: %w", c.cfg.Model, timeoutErr(ctx, err))
		}
		for _, ch := range resp.Choices {
			if ch.Index != 0 {
				continue
			}
			if ch.Delta.Refusal != "" || ch.FinishReason == openai.FinishReasonContentFilter {
				return "", fmt.Errorf("chat stream %s: %w", c.cfg.Model, ErrRefused)
			}
			if ch.Delta.Content == "" {
				continue
			}
			b.WriteString(ch.Delta.Content)
			if onDelta != nil {
				onDelta(ch.Delta.Content)
			}
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", fmt.Errorf("chat stream %s: %w", c.cfg.Model, ErrEmpty)
	}
	return b.String(), nil
}

// timeoutErr makes a call that ran out of time report
// context.DeadlineExceeded, whichever layer noticed first (the HTTP client's
// own timeout reports a different error).
func timeoutErr(ctx context.Context, err error) error {
	if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return err
}
