package main

import "github.com/declbot/declbot/retrieval"

// messages are the words the command line prints around what the bot
// returns, in one language. Every user-facing sentence of package main
// that depends on the reader's language lives here, so that a message
// catalogue can take them over.
type messages struct {
	// about's labels, padded to one width, the space after them included.
	kind, date, source, documents, passages, embedder, index, version string
	// docLine is about's line for one document: name, kind, languages,
	// passage count, title.
	docLine string
	// builtAt introduces the build time: "built 2026-01-02 …".
	builtAt string
	// passageCount words a number of passages: "1 passage", "3 passages".
	passageOne, passageMany string
	// noChapters introduces the passage ids of a document without
	// chapters in `chapters`, preamble those before its first chapter.
	noChapters, preamble string
	// kinds names the kinds of document bot.About reports, by their
	// English name.
	kinds map[string]string
}

// messagesFor returns the messages in lang (en or fr; anything else is
// English).
func messagesFor(lang string) messages {
	if lang == retrieval.French {
		return messages{
			kind: "Nature :    ", date: "Date :      ", source: "Source :    ", documents: "Documents : ",
			passages: "Passages :  ", embedder: "Vecteurs :  ", index: "Index :     ", version: "Version :   ",
			docLine:    "  %s (%s, %s ; %s) : %s\n",
			builtAt:    "construit le",
			passageOne: "1 passage", passageMany: "%d passages",
			noChapters: "sans chapitres ; passages cités par leur numéro :",
			preamble:   "avant le premier chapitre :",
			kinds: map[string]string{
				"unofficial digest": "synthèse non officielle",
				"official text":     "texte officiel",
				"indexed document":  "document indexé",
			},
		}
	}
	return messages{
		kind: "Kind:      ", date: "Date:      ", source: "Source:    ", documents: "Documents: ",
		passages: "Passages:  ", embedder: "Embedder:  ", index: "Index:     ", version: "Version:   ",
		docLine:    "  %s (%s, %s; %s): %s\n",
		builtAt:    "built",
		passageOne: "1 passage", passageMany: "%d passages",
		noChapters: "no chapters; passages cited by number:",
		preamble:   "before the first chapter:",
	}
}

// kindName is a document kind in the reader's language.
func (m messages) kindName(kind string) string {
	if k, ok := m.kinds[kind]; ok {
		return k
	}
	return kind
}
