package discord

import (
	"strings"
	"testing"

	"github.com/declbot/declbot/bot/discord/discordtest"
)

// TestEchoedInputEscaped: an error sentence that repeats what the user
// typed (a reference, a language) shows it literally, whatever markdown
// or ping it holds.
func TestEchoedInputEscaped(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	for _, ref := range []string{"||spoiler||", "```x```", "> quoted", "**bold**", "@everyone", "[link](http://x.test)"} {
		t.Run(ref, func(t *testing.T) {
			sent := h.srv.SendCommand(guildUser, "cite", discordtest.String("ref", ref))
			c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
			cb := decode[callbackBody](t, c)
			if cb.Data == nil {
				t.Fatalf("no data in %s", c)
			}
			checkNoPings(t, c, cb.Data)
			if !strings.Contains(cb.Data.Content, Escape(ref)) {
				t.Errorf("/cite %q answered %q, want the reference escaped: %q", ref, cb.Data.Content, Escape(ref))
			}
		})
	}
}
