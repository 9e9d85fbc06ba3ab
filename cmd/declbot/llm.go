package main

import (
	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/llm"
	"github.com/declbot/declbot/retrieval"
)

// The model package meets its consumers here.
var (
	_ bot.ChatModel      = (*llm.Chat)(nil)
	_ retrieval.Embedder = (*llm.Embedder)(nil)
)

// llmConfig translates the llm: and retrieval: keys for package llm. The
// key is read from the variable llm.api_key_env names; it may be empty for
// a local server.
func (a *App) llmConfig(cfg Config) llm.Config {
	key := ""
	if cfg.LLM.APIKeyEnv != "" {
		key = a.getenv(cfg.LLM.APIKeyEnv)
	}
	return llm.Config{
		BaseURL:          cfg.LLM.BaseURL,
		APIKey:           key,
		Model:            cfg.LLM.Model,
		Timeout:          cfg.LLM.Timeout,
		MaxTokens:        cfg.LLM.MaxTokens,
		Temperature:      float32(cfg.LLM.Temperature),
		HistoryTurns:     cfg.LLM.HistoryTurns,
		EmbeddingModel:   cfg.Retrieval.EmbeddingModel,
		EmbeddingBaseURL: cfg.Retrieval.EmbeddingBaseURL,
		EmbeddingDims:    cfg.Retrieval.Dims,
	}
}

// botOptions returns the bot's options: with a chat model when
// llm.base_url is set, extractive only otherwise.
func (a *App) botOptions(cfg Config) (bot.Options, error) {
	opts := bot.Options{Version: version(), HistoryTurns: cfg.LLM.HistoryTurns}
	if opts.HistoryTurns == 0 {
		opts.HistoryTurns = -1 // history_turns: 0 turns rewriting off
	}
	if cfg.LLM.BaseURL == "" {
		return opts, nil
	}
	chat, err := llm.NewChat(a.llmConfig(cfg))
	if err != nil {
		return opts, &usageError{err.Error()}
	}
	opts.Model = chat
	return opts, nil
}

// embedder returns the embedder retrieval.embedder names: the built-in
// hash embedder, or the model server's.
func (a *App) embedder(cfg Config) (retrieval.Embedder, error) {
	if cfg.Retrieval.Embedder != "openai" {
		return retrieval.NewHashEmbedder(cfg.Retrieval.Dims), nil
	}
	e, err := llm.NewEmbedder(a.llmConfig(cfg))
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	return e, nil
}
