// Command declbot answers questions about the Tokyo Declaration of the
// first "Central Asia + Japan" Dialogue Summit (Tokyo, 20 December 2025)
// with quoted, chapter-cited passages: from the command line, or as a
// Discord bot.
//
// Usage:
//
//	declbot ask [--json] [--lang auto|en|fr] [-k N] [--] QUESTION
//	declbot chapters [--lang en|fr] [--json]
//	declbot cite [--lang en|fr|all] [--json] [DOC:]REF
//	declbot about [--lang en|fr] [--json]
//	declbot eval --questions FILE [--json] [-k 3]
//	declbot index [--source PATH]... [--index FILE] [--json] [--check]
//	declbot serve [--config FILE]
//	declbot config check [--config FILE]
//	declbot insights [--since 7d] [--json] [--limit 20]
//
// Flags may stand before or after the arguments; "--" ends them, for a
// question that starts with a dash.
//
// It works offline on the corpus bundled in the binary; see README.md for
// configuration, the Discord bot and model-written answers.
package main
