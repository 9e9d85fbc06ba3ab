package lang

import "github.com/kljensen/snowball/english"

// englishEntry is the table's entry for English. Its word lists are written
// folded (lower case, no accents) and kept short: a word that might carry
// meaning in a question about the declaration ("security", "energy",
// "border") is never a stopword.
func englishEntry() Language {
	return Language{
		Code: English, Name: "English", EnglishName: "English", Preamble: "Preamble",
		Stem: func(w string) string { return english.Stem(w, false) },
		Stopwords: `a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing done during each either few for from
further had has have having he her here hers herself him himself his how i if in into is it its itself just
let may me might more most must my myself no nor not now of off on once only or other ought our ours
ourselves out over own same shall she should so some such than that the their theirs them themselves then
there these they this those through to too under until up upon very was we were what when where whether
which while who whom whose why will with within would you your yours yourself yourselves s t don isn
aren wasn weren doesn didn hasn haven hadn won wouldn shouldn couldn`,
		Framing: `what which who whom how when where why does do did say says said tell tells mention
mentions mentioned mentioning talk talks about regarding concerning
anything something there any please show give me explain describe is are was were parties many much list
lists kind kinds sort thing things way ways exactly really actually specifically quickly according
know want wondering curious simply plainly simple plain layman`,
		// "tl;dr" is two tokens.
		Overview: `summary summaries summarise summarize summarised summarized sum recap overview gist tldr tl dr
nutshell eli5 essence highlights takeaways main key point points overall whole short brief briefly version
purpose`,
		Document: `declaration document text statement doc docs say says said cover covers covered covering contain
contains contained about`,
		Pointed: `when where who whom whose why`,
		About:   `about regarding concerning re`,
		Amount:  `how-many how-much how-long`,
		Dates:   `when`,
		Numbers: `two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty
hundred thousand million billion trillion dozen`,
		Chat: `hi hey hello hiya yo sup thanks thank thx ty tysm cheers pls plz lol lmao rofl tbh imo imho
idk ngl btw fyi afaik iirc smh omg jk irl rn ok okay yeah yep yup nope nah guys folks everyone anyone
someone pal mate bro dude u ur r ya gonna wanna gotta kinda sorta dunno lemme gimme im ive id ill dont
doesnt didnt cant wont isnt arent wasnt werent thats whats theres heres wheres youre theyre lets`,
		Interrogatives: `what whats which who whos whom whose how hows where wheres why is are am was were do does
did can could will would should shall may has have tell show give explain describe list any anything when-did when-does
when-do when-is when-was when-were when-are when-will when-would when-can when-could when-has when-have when-had`,
		Connectives: `so and but well then also plus`,
		Markers: `the of and to in is are what which who how does do did about with for on was were this
that it its an be by from has have will can there any when where why say says thanks thank please hello
hi you your my our they their been being would should could much many also between into than then these
those other some such only over under after before about against during through year years new first
last next best most well tell me show give get make know think want need cite quote`,
		// "t" is what Tokens leaves of n't (don't, can't, won't); the
		// contractions typed without an apostrophe are spelt out.
		Negations: `not no never without none nor neither nothing nobody nowhere cannot t dont doesnt
didnt isnt arent wasnt werent cant wont hasnt havent hadnt reject refuse refusal ban oppose opposition
deny denial prohibit prohibition forbid forbidden veto boycott`,
		Everyday: everydayEN,
	}
}
