package retrieval

import "strings"

// Stopword lists are written here, folded (no accents), and kept short:
// a word that might carry meaning in a question about the declaration
// ("security", "energy", "border") is never a stopword.
var (
	englishStop = set(`a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing done during each either few for from
further had has have having he her here hers herself him himself his how i if in into is it its itself just
let may me might more most must my myself no nor not now of off on once only or other ought our ours
ourselves out over own same shall she should so some such than that the their theirs them themselves then
there these they this those through to too under until up upon very was we were what when where whether
which while who whom whose why will with within would you your yours yourself yourselves s t don isn
aren wasn weren doesn didn hasn haven hadn won wouldn shouldn couldn`)

	frenchStop = set(`a au aux avec ce ces cet cette ceux celle celles celui ci dans de des du elle elles en
est et etaient etait etant ete etre eu eux il ils je la le les leur leurs lui ma mais me meme mes moi mon
ne nos notre nous on ont ou par pas pour qu que quel quelle quelles quels qui sa sans se ses si son sont
sur ta te tes toi ton tu un une vos votre vous y a ai as avait avaient avoir ca cela comme comment donc dont
fait faire ici la leur lors ni peu plus puis quand quoi sera seront soit tous tout toute toutes tres aussi
alors apres avant depuis entre ainsi chez vers voici voila car encore deja`)
)

// questionWords frame a question without saying what it is about: "what
// does the declaration say about", "que dit le texte sur". They are dropped
// from queries only, never from the corpus, so a passage that really is
// about the text itself can still be found by its other words.
var questionWords = set(`what which who whom how when where why does do did say says said tell tells
mention mentions mentioned mentioning declaration document text statement talk talks about regarding
concerning anything something there any please show give me explain describe is are was were parties
dit disent dire parle parlent parler mentionne mentionnent mentionnes mentionnee mentionne evoque
evoquee evoquent aborde abordee declaration texte document quoi qu que quel quelle quels quelles est-ce
propos concernant sujet prevoit prevoient prevu prevus prevue prevues il elle y a-t-il existe
en-t-il lieu many much combien list lists kind kinds sort thing things way ways exactly really
actually specifically briefly quickly according tel tels telle telles donne donnez donner dis dites
montre montrez explique expliquez liste listez cite citez indique indiquez resume resumez enumere
voudrais aimerais savoir know want wondering curious nutshell tldr eli5 simply plainly
simplement bref`)

// chatWords are the greetings, thanks and shorthand of chat in either
// language ("hey guys", "thx", "tbh", "stp", "qqch" for quelque chose, "ya"
// for il y a): the way a message is typed, never what it asks about. They
// are dropped from queries like questionWords.
var chatWords = set(`hi hey hello hiya yo sup hey thanks thank thx ty tysm cheers pls plz lol lmao rofl
tbh imo imho idk ngl btw fyi afaik iirc smh omg jk irl rn ok okay yeah yep yup nope nah guys folks
everyone anyone someone pal mate bro dude u ur r ya gonna wanna gotta kinda sorta dunno lemme gimme
im ive id ill dont doesnt didnt cant wont isnt arent wasnt werent thats whats theres heres wheres youre theyre lets
salut bonjour bonsoir coucou cc slt merci mrc stp svp mdr ptdr jsp jpp bcp tkt wsh wesh dsl ouais
ouai mec gars qqn qqch qq qqs tt ts koi pk pq pcq ptet bref voila ben bah euh hein`)

// enMarkers and frMarkers are frequent function words of each language,
// used by DetectLang.
var (
	enMarkers = set(`the of and to in is are what which who how does do did about with for on was were
this that it its an be by from has have will can there any when where why say says thanks thank please
hello hi you your my our they their been being would should could much many also between into than then
these those other some such only over under after before about against during through year years new
first last next best most well tell me show give get make know think want need`)
	frMarkers = set(`le la les des du de et est sont que qui quoi quel quelle quels quelles dans sur pour
par avec une un au aux ce cette ces il elle ils on comment pourquoi ou quand dit parle lieu merci
bonjour salut beaucoup tres plus moins aussi entre sans sous chez nous vous leur leurs notre votre mais
donc car puis encore deja toujours jamais rien tout tous toutes autre autres meme ans annee annees
premier premiere prochain prochaine dernier derniere nouveau nouvelle fait faire peut doit sera etait
ete avoir etre quoi combien ainsi selon vers depuis pendant avant apres jeux prix cours du des`)
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// isStopword reports whether the folded word w carries no content in lang.
func isStopword(w, lang string) bool {
	if len(w) == 1 && !isDigits(w) {
		return true // stray letters: "a-t-il", initials
	}
	if lang == French {
		return frenchStop[w]
	}
	return englishStop[w]
}
