package discord

import "sync"

// Bounds on what the bot remembers of conversations.
const (
	historyTurns         = 6    // earlier questions kept per conversation
	historyConversations = 4096 // conversations kept at once
)

// history remembers the recent questions of each conversation (one user
// in one channel, thread or DM), so that a follow-up mention such as
// "@declbot and energy?" is answered in context. It forgets arbitrary
// conversations once full: it is a convenience, not a record.
type history struct {
	mu    sync.Mutex
	convs map[string][]string
}

func newHistory() *history { return &history{convs: map[string][]string{}} }

func conversation(channel, user string) string { return channel + "/" + user }

// get returns a copy of the conversation's earlier questions, oldest first.
func (h *history) get(key string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.convs[key]...)
}

// add records a question asked in the conversation.
func (h *history) add(key, question string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	qs, ok := h.convs[key]
	if !ok && len(h.convs) >= historyConversations {
		for k := range h.convs {
			delete(h.convs, k)
			break
		}
	}
	qs = append(qs, question)
	if len(qs) > historyTurns {
		qs = append([]string(nil), qs[len(qs)-historyTurns:]...)
	}
	h.convs[key] = qs
}
