// Package openaitest provides an in-process fake of an OpenAI-compatible
// server (chat completions, streamed or not, and embeddings) for tests, in
// the way net/http/httptest fakes an HTTP server: it is a real server on
// loopback, so the code under test goes through its real client.
//
// Replies are scripted per endpoint, in order; each request is recorded so a
// test can assert what was sent. The package deliberately does not import
// go-openai: it speaks the wire format, which is what other servers (Ollama,
// vLLM) implement too.
package openaitest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Paths served, relative to the server root. The base URL a client is given
// ends in /v1.
const (
	ChatPath       = "/v1/chat/completions"
	EmbeddingsPath = "/v1/embeddings"
)

// Reply is one scripted answer to one request.
type Reply struct {
	// Status is the HTTP status; 0 means 200. For a status of 400 or more the
	// server sends an OpenAI-style error body carrying Content as its message.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header (seconds or an
	// HTTP date).
	RetryAfter string
	// Hang makes the server wait until the request's context ends (the
	// client gave up or timed out) and send nothing.
	Hang bool

	// Content is the assistant message for a chat reply.
	Content string
	// Chunks are the deltas of a streamed chat reply; nil streams Content
	// word by word.
	Chunks []string
	// Refusal is sent as the message's refusal field (OpenAI's structured
	// refusal), with an empty Content.
	Refusal string
	// FinishReason defaults to "stop".
	FinishReason string
}

// Message is a chat message as received.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is the part of a chat completion request tests assert on.
type ChatRequest struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Stream      bool      `json:"stream"`
	Temperature *float64  `json:"temperature"`
	MaxTokens   int       `json:"max_tokens"`
}

// EmbeddingRequest is an embeddings request as received.
type EmbeddingRequest struct {
	Model      string   `json:"model"`
	Input      []string `json:"input"`
	Dimensions int      `json:"dimensions"`
}

// Request is one recorded request.
type Request struct {
	Path   string
	Header http.Header
	Body   []byte
}

// Chat decodes the request body as a chat completion request.
func (r Request) Chat() (ChatRequest, error) {
	var c ChatRequest
	err := json.Unmarshal(r.Body, &c)
	return c, err
}

// Embedding decodes the request body as an embeddings request.
func (r Request) Embedding() (EmbeddingRequest, error) {
	var e EmbeddingRequest
	err := json.Unmarshal(r.Body, &e)
	return e, err
}

// Server is a fake OpenAI-compatible server. Its zero value is not usable;
// call New.
type Server struct {
	srv *httptest.Server

	mu       sync.Mutex
	chat     []Reply
	embed    []Reply
	requests []Request
	onChat   func(ChatRequest) Reply
	dims     int
	vector   func(text string, dims int) []float32
}

// New starts a server on 127.0.0.1 and closes it when the test ends. Unless
// told otherwise with SetDims, embeddings have 16 dimensions.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{dims: 16, vector: Vector}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// URL returns the base URL to give a client, ending in /v1.
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Close shuts the server down; requests still hanging are released first.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// ScriptChat queues replies for the next chat completion requests, in order.
func (s *Server) ScriptChat(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat = append(s.chat, replies...)
}

// ScriptEmbeddings queues replies (typically errors) for the next embeddings
// requests; once used up, embeddings are computed.
func (s *Server) ScriptEmbeddings(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embed = append(s.embed, replies...)
}

// OnChat sets the function answering chat requests once the script is used
// up. Without one, an unscripted chat request gets a 500.
func (s *Server) OnChat(f func(ChatRequest) Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChat = f
}

// SetDims sets the number of dimensions of computed embeddings.
func (s *Server) SetDims(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dims = n
}

// SetVectors sets the function computing embeddings, in place of Vector:
// a test that needs similarities to mean something (a model that knows
// which texts are on the same subject) gives its own.
func (s *Server) SetVectors(f func(text string, dims int) []float32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vector = f
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests were made to path.
func (s *Server) Count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Path == path {
			n++
		}
	}
	return n
}

// ChatRequests returns the decoded chat requests received so far.
func (s *Server) ChatRequests() []ChatRequest {
	var out []ChatRequest
	for _, r := range s.Requests() {
		if r.Path != ChatPath {
			continue
		}
		c, err := r.Chat()
		if err == nil {
			out = append(out, c)
		}
	}
	return out
}

// EmbeddingRequests returns the decoded embeddings requests received so far.
func (s *Server) EmbeddingRequests() []EmbeddingRequest {
	var out []EmbeddingRequest
	for _, r := range s.Requests() {
		if r.Path != EmbeddingsPath {
			continue
		}
		e, err := r.Embedding()
		if err == nil {
			out = append(out, e)
		}
	}
	return out
}

// Vector returns the embedding the server computes for text: deterministic,
// not normalised (clients are expected to normalise).
func Vector(text string, dims int) []float32 {
	v := make([]float32, dims)
	for i := range v {
		h := fnv.New32a()
		fmt.Fprintf(h, "%d\x00%s", i, text)
		v[i] = float32(h.Sum32()%2001)/100 - 10 // in [-10, 10]
	}
	return v
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	s.mu.Unlock()

	switch r.URL.Path {
	case ChatPath:
		s.serveChat(w, r, body)
	case EmbeddingsPath:
		s.serveEmbeddings(w, r, body)
	default:
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
	}
}

func (s *Server) serveChat(w http.ResponseWriter, r *http.Request, body []byte) {
	var req ChatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad JSON: "+err.Error())
		return
	}
	s.mu.Lock()
	var rep Reply
	switch {
	case len(s.chat) > 0:
		rep, s.chat = s.chat[0], s.chat[1:]
	case s.onChat != nil:
		f := s.onChat
		s.mu.Unlock()
		rep = f(req)
		s.mu.Lock()
	default:
		rep = Reply{Status: http.StatusInternalServerError, Content: "openaitest: no scripted chat reply"}
	}
	s.mu.Unlock()

	if done := s.common(w, r, rep); done {
		return
	}
	finish := rep.FinishReason
	if finish == "" {
		finish = "stop"
	}
	if !req.Stream {
		msg := map[string]any{"role": "assistant", "content": rep.Content}
		if rep.Refusal != "" {
			msg["content"] = ""
			msg["refusal"] = rep.Refusal
		}
		writeJSON(w, map[string]any{
			"id": "chatcmpl-test", "object": "chat.completion", "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}},
		})
		return
	}

	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	send := func(delta map[string]any, finish string) {
		choice := map[string]any{"index": 0, "delta": delta}
		if finish != "" {
			choice["finish_reason"] = finish
		}
		b, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-test", "object": "chat.completion.chunk", "model": req.Model,
			"choices": []any{choice},
		})
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	send(map[string]any{"role": "assistant"}, "")
	if rep.Refusal != "" {
		send(map[string]any{"refusal": rep.Refusal}, "")
	}
	chunks := rep.Chunks
	if chunks == nil {
		chunks = splitWords(rep.Content)
	}
	for _, c := range chunks {
		send(map[string]any{"content": c}, "")
	}
	send(map[string]any{}, finish)
	fmt.Fprint(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

func (s *Server) serveEmbeddings(w http.ResponseWriter, r *http.Request, body []byte) {
	var req EmbeddingRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad JSON: "+err.Error())
		return
	}
	s.mu.Lock()
	var rep Reply
	scripted := len(s.embed) > 0
	if scripted {
		rep, s.embed = s.embed[0], s.embed[1:]
	}
	dims, vector := s.dims, s.vector
	s.mu.Unlock()
	if req.Dimensions > 0 {
		dims = req.Dimensions
	}
	if scripted {
		if done := s.common(w, r, rep); done {
			return
		}
	}
	data := make([]any, len(req.Input))
	// Returned in reverse order, with indexes, as a reminder that clients
	// must place vectors by index, not by position.
	for i := range req.Input {
		j := len(req.Input) - 1 - i
		data[i] = map[string]any{"object": "embedding", "index": j, "embedding": vector(req.Input[j], dims)}
	}
	writeJSON(w, map[string]any{"object": "list", "model": req.Model, "data": data})
}

// common handles hanging and error statuses; it reports whether the reply
// has been sent.
func (s *Server) common(w http.ResponseWriter, r *http.Request, rep Reply) bool {
	if rep.Hang {
		<-r.Context().Done()
		return true
	}
	if rep.RetryAfter != "" {
		w.Header().Set("Retry-After", rep.RetryAfter)
	}
	if rep.Status >= 400 {
		writeError(w, rep.Status, rep.Content)
		return true
	}
	return false
}

func writeError(w http.ResponseWriter, status int, msg string) {
	if msg == "" {
		msg = http.StatusText(status)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "test_error"}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// splitWords splits s into chunks that concatenate back to s, one word (with
// its following spaces) per chunk.
func splitWords(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexAny(s, " \n")
		if i < 0 {
			out = append(out, s)
			break
		}
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
			j++
		}
		out = append(out, s[:j])
		s = s[j:]
	}
	return out
}
