package corpus

// YAMLTooDeep reports whether YAML data nests lists and mappings more
// than most deep, and on which line, skipping quoted strings and
// comments. go-yaml takes time and memory quadratic in the nesting, in
// flow style (64,000 "[" in a front matter, 64 KB: 6 GB and 22 s) and in
// the compact block style alike (32,000 "- " on one line, 1.6 GB), so a
// file is measured before it is parsed: a front matter here, a
// configuration or a questions file in cmd/declbot.
//
// It counts the [ and { open, and the block nodes open at the start of
// a line: one per indentation deeper than the line above, one per "- "
// or "? " the line starts with ("- - - x" is three lists deep). A block
// scalar's text is counted as if it were YAML: a line of dashes and
// spaces as deep as the bound in a notice is refused, which no front
// matter, configuration or questions file holds.
func YAMLTooDeep(data []byte, most int) (line int, deep bool) {
	depth, line := 0, 1
	var quote byte
	comment := false
	var block []int // the columns of the block nodes open, outermost first
	for i := 0; i < len(data); i++ {
		c := data[i]
		if (i == 0 || data[i-1] == '\n') && quote == 0 && depth == 0 {
			col := 0
			for i+col < len(data) && data[i+col] == ' ' {
				col++
			}
			if j := i + col; j < len(data) && data[j] != '\n' && data[j] != '#' {
				for len(block) > 0 && block[len(block)-1] >= col {
					block = block[:len(block)-1]
				}
				block = append(block, col)
				for j < len(data) && (data[j] == '-' || data[j] == '?') && (j+1 == len(data) || data[j+1] == ' ' || data[j+1] == '\t' || data[j+1] == '\n') {
					j++
					for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
						j++
					}
					block = append(block, j-i)
				}
				if len(block) > most {
					return line, true
				}
			}
		}
		switch {
		case c == '\n':
			line, comment = line+1, false
		case comment:
		case quote != 0:
			if c == quote && (quote == '\'' || i == 0 || data[i-1] != '\\') {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			comment = true
		case c == '[' || c == '{':
			if depth++; depth+len(block) > most {
				return line, true
			}
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
	}
	return 0, false
}
