package bot_test

import (
	"testing"

	"github.com/declbot/declbot/bot"
)

func TestStripInvisible(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "What about water?", "What about water?"},
		{"zero-width space", "wa\u200bter?", "water?"},
		{"right-to-left override", "\u202ewater? \u202c", "water? "},
		{"left-to-right override and isolates", "\u202d\u2066water\u2069?", "water?"},
		{"byte-order mark", "\ufeffwater?", "water?"},
		{"control characters become spaces", "water\x00\x1b?", "water  ?"},
		{"newline and tab kept", "water\n\tenergy", "water\n\tenergy"},
		{"ansi colour goes whole", "\x1b[31mclimate\x1b[0m", " climate "},
		{"window title goes whole", "\x1b]0;PWNED\awater?", " water?"},
		{"accents and emoji kept", "énergie 💧", "énergie 💧"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.StripInvisible(tt.in); got != tt.want {
				t.Errorf("StripInvisible(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCheckQuestionRefusesInvisibleOnly(t *testing.T) {
	for _, q := range []string{"\u200b", "\u200b\u200c\u200d\ufeff", " \u202e ", "\u2066\u2069"} {
		if got, err := bot.CheckQuestion(q); err == nil {
			t.Errorf("CheckQuestion(%q) = %q, nil; want the question refused as empty", q, got)
		}
	}
	if got, err := bot.CheckQuestion("wa\u200bter\u202e?"); err != nil || got != "water?" {
		t.Errorf("CheckQuestion = %q, %v; want %q", got, err, "water?")
	}
	if got, err := bot.CheckQuestion("\x1b[31mclimate\x1b[0m"); err != nil || got != "climate" {
		t.Errorf("CheckQuestion(coloured) = %q, %v; want %q", got, err, "climate")
	}
	if got, err := bot.CheckQuestion("\x1b[31m\x1b[0m"); err == nil {
		t.Errorf("CheckQuestion(colour only) = %q, nil; want the question refused as empty", got)
	}
}
