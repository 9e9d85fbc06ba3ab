package lang

import "github.com/kljensen/snowball/french"

// frenchEntry is the table's entry for French, its lists folded like English's.
func frenchEntry() Language {
	return Language{
		Code: French, Name: "Français", EnglishName: "French", Preamble: "Préambule",
		Stem: func(w string) string { return french.Stem(w, false) },
		Stopwords: `a au aux avec ce ces cet cette ceux celle celles celui ci dans de des du elle elles en
est et etaient etait etant ete etre eu eux il ils je la le les leur leurs lui ma mais me meme mes moi mon
ne nos notre nous on ont ou par pas pour qu que quel quelle quelles quels qui sa sans se ses si son sont
sur ta te tes toi ton tu un une vos votre vous y a ai as avait avaient avoir ca cela comme comment donc dont
fait faire ici la leur lors ni peu plus puis quand quoi sera seront soit tous tout toute toutes tres aussi
alors apres avant depuis entre ainsi chez vers voici voila car encore deja`,
		Framing: `mentionne mentionnent mentionnes mentionnee evoque
evoquee evoquent aborde abordee quoi qu que quel quelle quels quelles est-ce
propos concernant sujet prevoit prevoient prevu prevus prevue prevues il elle y a-t-il existe en-t-il lieu
combien tel tels telle telles donne donnez donner dis dites montre montrez explique expliquez liste listez
cite citez indique indiquez enumere voudrais aimerais savoir simplement simple simples langage`,
		Overview: `resume resumer resumez resumes synthese recap recapitulatif essentiel gros principaux principales
points cles globalement apercu grandes lignes`,
		Document: `bref declaration texte document doc dit disent dire parle parlent parler contient propos agit`,
		Pointed:  `quand ou qui pourquoi combien`,
		About:    `sur concernant propos sujet niveau`,
		Amount:   `combien`,
		Dates:    `quand`,
		Numbers: `deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente quarante
cinquante soixante cent cents mille million milliard`,
		Chat: `salut bonjour bonsoir coucou cc slt merci mrc stp svp mdr ptdr jsp jpp bcp tkt wsh wesh dsl
ouais ouai mec gars qqn qqch qq qqs tt ts koi pk pq pcq ptet bref voila ben bah euh hein ya yaura yavait
yaurait jsuis chui jpense jcrois jsais jveux jvais`,
		Interrogatives: `quoi koi quel quelle quels quelles kel lequel laquelle lesquels lesquelles qui que comment cmt
combien pourquoi pk pq pkoi est-ce dis dites explique expliquez donne donnez montre montrez resume resumez`,
		Connectives: `et mais alors donc bon puis c ca`,
		Markers: `le la les des du de et est sont que qui quoi quel quelle quels quelles dans sur pour par
avec une un au aux ce cette ces il elle ils on comment pourquoi ou quand dit parle lieu merci bonjour salut
beaucoup tres plus moins aussi entre sans sous chez nous vous leur leurs notre votre mais donc car puis
encore deja toujours jamais rien tout tous toutes autre autres meme ans annee annees premier premiere
prochain prochaine dernier derniere nouveau nouvelle fait faire peut doit sera etait ete avoir etre quoi
combien ainsi selon vers depuis pendant avant apres jeux prix cours du des`,
		// Elided clitics and question inversions are French however short
		// the text; accented letters lean French by half a word each.
		Hints:    []string{"l'", "d'", "qu'", "est-ce", "-t-"},
		Accents:  "éèêàùçîôûëïœ«»",
		Elisions: "l d j m n s t c qu jusqu lorsqu puisqu quoiqu",
		// Tokens drops the elided n' (n'est pas), so the second word of
		// the negation (pas, jamais, aucun, rien) tells it. Snowball leaves
		// a verb's -ent plural whole: those forms are spelt out.
		Negations: `ne pas jamais aucun aucune aucuns aucunes sans ni rien nul nulle nullement guere
rejeter rejet rejettent refuser refus refusent interdire interdit interdite interdisent interdiction
opposer opposent opposition nier nient prohiber prohibition boycotter`,
		Everyday: everydayFR,
	}
}
