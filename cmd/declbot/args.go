package main

import (
	"slices"
	"strings"

	"github.com/alecthomas/kong"
)

// flagsFirst moves the flags of a command that takes a list of words
// (ask's question, cite's reference) before those words, so that a flag
// is a flag wherever it stands: `ask what about --json Afghanistan` and
// `ask "Afghanistan?" -k 1` read as `ask --json -- what about
// Afghanistan`. kong takes a word list as one positional argument and
// would refuse the words after a flag ("unexpected argument"). After
// "--" nothing is a flag, for a question that starts with a dash; a
// token that looks like a flag but is none stays where kong reports it
// ("unknown flag --jsn"), and so does a flag whose value is missing at
// the end. Other command lines are returned as they are.
func flagsFirst(app *kong.Application, args []string) []string {
	node := app.Node
	i := 0
	for i < len(args) {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			child := findCommand(node, a)
			if child == nil {
				break
			}
			node, i = child, i+1
			continue
		}
		i += 1 + flagValues(node, a)
	}
	if i >= len(args) || !takesWords(node) {
		return args
	}
	out := append([]string(nil), args[:i]...)
	var words []string
	for j := i; j < len(args); j++ {
		a := args[j]
		switch {
		case a == "--":
			words = append(words, args[j+1:]...)
			j = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			n := flagValues(node, a)
			if j+n >= len(args) {
				return args // a value missing at the end: kong says so as typed
			}
			end := j + 1 + n
			out = append(out, args[j:end]...)
			j = end - 1
		default:
			words = append(words, a)
		}
	}
	if len(words) > 0 {
		out = append(out, "--")
		out = append(out, words...)
	}
	return out
}

func findCommand(node *kong.Node, name string) *kong.Node {
	for _, c := range node.Children {
		if c.Type == kong.CommandNode && (c.Name == name || slices.Contains(c.Aliases, name)) {
			return c
		}
	}
	return nil
}

// takesWords reports whether the command's last positional argument is a
// list of words and the command has no sub-commands.
func takesWords(node *kong.Node) bool {
	if node.Type != kong.CommandNode || len(node.Positional) == 0 {
		return false
	}
	for _, c := range node.Children {
		if c.Type == kong.CommandNode {
			return false
		}
	}
	return node.Positional[len(node.Positional)-1].IsCumulative()
}

// flagValues returns how many of the tokens after flag a are its value: 1
// for a flag of node or an ancestor that takes a value and was not given
// one with "=" or glued to a short name ("-k1"), else 0 (a boolean, or a
// token that is no known flag, left for kong to refuse).
func flagValues(node *kong.Node, a string) int {
	var f *kong.Flag
	if name, ok := strings.CutPrefix(a, "--"); ok {
		if strings.Contains(name, "=") {
			return 0
		}
		f = lookupFlag(node, func(f *kong.Flag) bool { return f.Name == name || slices.Contains(f.Aliases, name) })
	} else {
		rs := []rune(a[1:])
		if len(rs) != 1 {
			return 0 // "-k1", "-k=1"
		}
		f = lookupFlag(node, func(f *kong.Flag) bool { return f.Short == rs[0] })
	}
	if f == nil || f.IsBool() || f.IsCounter() {
		return 0
	}
	return 1
}

func lookupFlag(node *kong.Node, match func(*kong.Flag) bool) *kong.Flag {
	for n := node; n != nil; n = n.Parent {
		for _, f := range n.Flags {
			if match(f) {
				return f
			}
		}
	}
	return nil
}

// langTags reads the value of --lang as people write language tags: in
// any case and with a region ("EN", "fr-FR", "ru_RU", "ja-JP"), each
// becoming the table's code when its language is one (en, fr, ru, ja; or
// auto, all). Any other value is left for the command to refuse with the
// choices. Nothing after "--" is looked at: it is the question.
func langTags(args []string, known []string) []string {
	canon := func(v string) string {
		base, _, _ := strings.Cut(strings.ReplaceAll(strings.ToLower(v), "_", "-"), "-")
		if slices.Contains(known, base) || base == "auto" || base == "all" {
			return base
		}
		return v
	}
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		switch a := out[i]; {
		case a == "--":
			return out
		case a == "--lang" && i+1 < len(out):
			out[i+1] = canon(out[i+1])
			i++
		case strings.HasPrefix(a, "--lang="):
			out[i] = "--lang=" + canon(strings.TrimPrefix(a, "--lang="))
		}
	}
	return out
}
