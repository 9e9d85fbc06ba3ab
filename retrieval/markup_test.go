package retrieval

import "testing"

func TestCleanMessage(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"user mention", "<@123456789> what about Afghanistan?", "what about Afghanistan?"},
		{"nickname mention", "<@!123456789>what about it", "what about it"},
		{"role and channel", "<@&42> in <#1234567890> anything on trains", "in anything on trains"},
		{"everyone and here", "@everyone @here minerals?", "minerals?"},
		{"custom emoji", "the AI partnership <:pepe:123456789012345678> <a:dance:99> real?", "the AI partnership real?"},
		{"slash command mention", "</ask:123456> energy", "energy"},
		{"links", "see https://example.com/x?y=1 and <https://a.b/c> and www.mofa.go.jp/page ok", "see and and ok"},
		{"code block", "```\nrm -rf /\n```\nwhat about water", "what about water"},
		{"email-like at kept", "mail me at a@b.org", "mail me at a@b.org"},
		{"only markup", "<@1> <:x:2> https://x.y", ""},
		{"lines kept", "first line\n  second   line ", "first line\nsecond line"},
		{"ansi colour", "\x1b[31mclimate\x1b[0m", "climate"},
		{"ansi bold inside a question", "what about \x1b[1;4mcritical\x1b[m minerals?", "what about critical minerals?"},
		{"csi as one character", "\u009b31mwater\u009b0m", "water"},
		{"window title with bel", "\x1b]0;PWNED\aenergy", "energy"},
		{"window title with st", "\x1b]2;x\x1b\\energy", "energy"},
		{"unterminated title", "\x1b]0;PWNED\nenergy", "energy"},
		{"lone escape", "trade\x1b routes", "trade routes"},
		{"brackets kept", "paragraph [31] and [4.2]", "paragraph [31] and [4.2]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CleanMessage(tc.in); got != tc.want {
				t.Errorf("CleanMessage(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzCleanMessage(f *testing.F) {
	for _, s := range []string{"<@123> hi", "<:a:1>", "https://x.y/z", "```a```b", "@everyone", "\x1b[31mred\x1b[0m", "\x1b]0;t\a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := CleanMessage(s)
		if len(out) > len(s) {
			t.Fatalf("CleanMessage grew %q to %q", s, out)
		}
		if again := CleanMessage(out); again != out {
			t.Fatalf("CleanMessage is not idempotent: %q -> %q -> %q", s, out, again)
		}
	})
}
