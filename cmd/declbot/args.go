package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
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

// gluedNumbers glues a value that starts with a dash to the flag before
// it (-k -1 as -k-1, --limit -5 as --limit=-5, --since -5d as
// --since=-5d) and takes the "=" out of a short flag's (-k=2 as -k2), for
// kong, which reads "-1" after a flag as a flag of its own and "=2" after
// a short one as the value, and then says so in its own terms ("perhaps
// try --k="-1"?").
// The number then reaches the command, which says what range it takes.
// Nothing after "--" is looked at.
func gluedNumbers(app *kong.Application, args []string) []string {
	node := app.Node
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		if child := findCommand(node, a); child != nil {
			node = child
			continue
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		var f *kong.Flag
		var rest string
		long, isLong := strings.CutPrefix(a, "--")
		if isLong {
			f = lookupFlag(node, func(f *kong.Flag) bool { return f.Name == long || slices.Contains(f.Aliases, long) })
		} else {
			r := []rune(a[1:])
			f = lookupFlag(node, func(f *kong.Flag) bool { return f.Short == r[0] })
			rest = string(r[1:])
		}
		if f == nil || f.IsBool() || f.IsCounter() {
			continue
		}
		switch {
		case rest == "" && i+1 < len(out) && valueLike(node, out[i+1]):
			if isLong {
				out[i] += "="
			}
			out[i] += out[i+1]
			out = slices.Delete(out, i+1, i+2)
		case strings.HasPrefix(rest, "="):
			out[i] = a[:2] + rest[1:]
		}
	}
	return out
}

// valueLike reports whether v, after a flag that takes a value, is that
// value though it starts with a dash: a number ("-1"), or a word that is
// no flag of node or its ancestors ("-5d" after --since). "--" and the
// flags themselves are not.
func valueLike(node *kong.Node, v string) bool {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return true
	}
	if !strings.HasPrefix(v, "-") || v == "--" || v == "-" {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimLeft(v, "-"), "=")
	rs := []rune(name)
	return len(rs) > 0 && lookupFlag(node, func(f *kong.Flag) bool {
		return f.Name == name || slices.Contains(f.Aliases, name) || !strings.HasPrefix(v, "--") && f.Short == rs[0]
	}) == nil
}

var (
	kongMissingValue = regexp.MustCompile(`^--([\w-]+): expected (\w+) value but got "EOL" \(<EOL>\)$`)
	kongFlagAsValue  = regexp.MustCompile(`^--([\w-]+): expected (\w+) value but got (".*?") \((?:short|long) flag\); perhaps try .*$`)
	digits           = regexp.MustCompile(`^"-?\d+"$`)
	kongNotInt       = regexp.MustCompile(`^--([\w-]+): expected (?:int value|a valid \d+ bit int) but got (".*?")(?: \(.*\))?$`)
)

// flagValueMessage says in our words what kong says of a flag whose value
// is missing ("--k: expected int value but got "EOL" (<EOL>)"), is
// another flag ("--lang: expected string value but got "--json" (long
// flag); perhaps try --lang="--json"?") or is not a whole number ("--k:
// expected a valid 64 bit int but got "abc""), with the range the flag
// takes. Other messages are returned as they are.
func flagValueMessage(msg string) string {
	name := func(n string) string {
		if len([]rune(n)) == 1 {
			return "-" + n
		}
		return "--" + n
	}
	span := func(n string) string {
		switch n {
		case "k":
			return " from 1 to 10"
		case "limit":
			return " from 1 to 1000"
		}
		return ""
	}
	needs := func(flag, kind string) string {
		if kind == "int" {
			return fmt.Sprintf("%s needs a value: a whole number%s", name(flag), span(flag))
		}
		return fmt.Sprintf("%s needs a value", name(flag))
	}
	if m := kongMissingValue.FindStringSubmatch(msg); m != nil {
		return needs(m[1], m[2])
	}
	if m := kongFlagAsValue.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s, and %s is a flag", needs(m[1], m[2]), m[3])
	}
	if m := kongNotInt.FindStringSubmatch(msg); m != nil {
		if digits.MatchString(m[2]) {
			return fmt.Sprintf("%s %s is too large (a whole number%s wanted)", name(m[1]), strings.Trim(m[2], `"`), span(m[1]))
		}
		return fmt.Sprintf("%s %s is not a whole number (a whole number%s wanted)", name(m[1]), m[2], span(m[1]))
	}
	return msg
}

// emptyPath returns the flag of node's tree that takes a path and was
// given an empty one (--config "", --index=), as typed, or "". kong
// would make "" the working folder, whose error ("cannot read: is a
// directory") does not say what went wrong. Nothing after "--" is
// looked at.
func emptyPath(app *kong.Application, args []string) string {
	node := app.Node
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, ok := strings.CutPrefix(a, "--")
		if !ok {
			if c := findCommand(node, a); c != nil {
				node = c
			}
			continue
		}
		name, value, glued := strings.Cut(name, "=")
		f := lookupFlag(node, func(f *kong.Flag) bool { return f.Name == name || slices.Contains(f.Aliases, name) })
		if f == nil || f.Tag.Type != "path" {
			continue
		}
		if !glued {
			if i+1 == len(args) {
				continue // kong says the value is missing
			}
			i++
			value = args[i]
		}
		if value == "" {
			return "--" + f.Name
		}
	}
	return ""
}
