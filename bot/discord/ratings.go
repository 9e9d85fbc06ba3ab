package discord

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/declbot/declbot/bot"
)

// Recorder keeps what was asked and how the answers were rated, for the
// maintainers' insights. It is declared here, by its consumer; the
// program gives the adapter one with SetRecorder. Its methods are called
// after the reply has gone, from many goroutines, and must not wait.
type Recorder interface {
	// Answered records a question answered and delivered.
	Answered(a Answer)
	// Rated records a vote on an answer; a person's later vote on the
	// same answer replaces theirs.
	Rated(r Rating)
}

// Answer is one question answered, as Recorder.Answered receives it.
type Answer struct {
	// ID is the answer's short id, the one its rating buttons carry.
	ID       string
	Source   string // SourceSlash, SourceMention or SourceDM
	User     string // the asker's Discord id, for the recorder to hash
	Question string
	Reply    bot.Reply
	Took     time.Duration
}

// Rating is one vote on an answer.
type Rating struct {
	AnswerID string
	User     string // the voter's Discord id, for the recorder to hash
	Up       bool
	// Comment is what was wrong, from the 👎 form; empty when none was
	// given (or for the vote itself, sent when the form opens).
	Comment string
	// Form is set when this is the form's submission, which follows the
	// 👎 vote already recorded: the same vote, not a new one.
	Form bool
}

// ratings is the adapter's side of the insights: the recorder, nil when
// there is none (then answers carry no rating buttons).
type ratings struct {
	rec Recorder
}

// SetRecorder makes rec the recorder of answers and votes, and puts the
// rating buttons on every answer. Call it before Run.
func (b *Bot) SetRecorder(rec Recorder) { b.ratings.rec = rec }

// Rating custom ids: "rate|up|<answer>", "rate|down|<answer>" on the
// buttons and "rate|why|<answer>" on the form 👎 opens. An answer id is
// answerIDLen characters of base32, so that a rating button's id stays
// short whatever else shares the message.
const (
	ratePrefix  = "rate|"
	rateUp      = ratePrefix + "up|"
	rateDown    = ratePrefix + "down|"
	rateWhy     = ratePrefix + "why|"
	answerIDLen = 12
	commentID   = "comment"
)

// maxComment is the longest comment the form takes, in characters;
// Discord's limits on the form's title and label, and on a placeholder.
const (
	maxComment     = 300
	maxFormTitle   = 45
	maxPlaceholder = 100
)

var answerIDEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newAnswerID returns a fresh short id for an answer.
func newAnswerID() string {
	b := make([]byte, answerIDLen*5/8+1)
	rand.Read(b)
	return answerIDEncoding.EncodeToString(b)[:answerIDLen]
}

// validAnswerID reports whether id could have been made by newAnswerID:
// anything else in a custom id is forged.
func validAnswerID(id string) bool {
	if len(id) != answerIDLen {
		return false
	}
	for _, c := range id {
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// maxRows is how many action rows Discord takes on one message.
const maxRows = 5

// rateable gives an answer about to be sent its rating buttons, in an
// action row of their own on its last message, and returns the answer's
// id; without a recorder it returns msgs as they are and "".
func (b *Bot) rateable(msgs []message) ([]message, string) {
	if b.ratings.rec == nil || len(msgs) == 0 {
		return msgs, ""
	}
	last := &msgs[len(msgs)-1]
	if len(last.Components) >= maxRows {
		return msgs, ""
	}
	id := newAnswerID()
	row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton, CustomID: rateUp + id},
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton, CustomID: rateDown + id},
	}}
	last.Components = append(append([]discordgo.MessageComponent(nil), last.Components...), row)
	return msgs, id
}

// recordAnswer tells the recorder of an answer delivered with rating
// buttons (id is not empty).
func (b *Bot) recordAnswer(id, source, user, question string, r bot.Reply, took time.Duration, delivered bool) {
	if id == "" || !delivered || b.ratings.rec == nil {
		return
	}
	if r.Question == "" {
		r.Question = question
	}
	b.ratings.rec.Answered(Answer{ID: id, Source: source, User: user, Question: question, Reply: r, Took: took})
}

// rate handles a click on a rating button and reports whether customID
// was one: 👍 is recorded and acknowledged, 👎 recorded and answered with
// the form asking what was wrong.
func (b *Bot) rate(r *responder, customID string) bool {
	if !strings.HasPrefix(customID, ratePrefix) {
		return false
	}
	up := strings.HasPrefix(customID, rateUp)
	id, ok := strings.CutPrefix(customID, rateUp)
	if !ok {
		id, ok = strings.CutPrefix(customID, rateDown)
	}
	user, _ := interactionUser(r.i)
	if !ok || !validAnswerID(id) || b.ratings.rec == nil || user == "" {
		r.sendText(r.say("discord_expired"), true)
		return true
	}
	b.ratings.rec.Rated(Rating{AnswerID: id, User: user, Up: up})
	if up {
		r.sendText(r.say("discord_rate_thanks_up"), true)
		return true
	}
	err := r.respond(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: rateWhy + id,
			Title:    truncate(r.say("discord_rate_form_title"), maxFormTitle),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{
					CustomID: commentID, Label: truncate(r.say("discord_rate_form_label"), maxFormTitle), Style: discordgo.TextInputParagraph,
					Placeholder: truncate(r.say("discord_rate_form_placeholder"), maxPlaceholder), Required: false, MaxLength: maxComment,
				},
			}}},
		},
	})
	if err != nil {
		// The vote is in; only the form is lost.
		b.log.Warn("open the rating form", "err", b.restErr(err), "interaction", r.i.ID)
		r.sendText(r.say("discord_rate_thanks_down"), true)
	}
	return true
}

// rateWhySubmitted handles the 👎 form: the comment is recorded with the
// vote, cut to maxComment characters and made valid text, and never shown
// back, so that whatever it holds pings nobody.
func (b *Bot) rateWhySubmitted(r *responder) {
	d := r.i.ModalSubmitData()
	id, ok := strings.CutPrefix(d.CustomID, rateWhy)
	user, _ := interactionUser(r.i)
	if !ok || !validAnswerID(id) || b.ratings.rec == nil || user == "" {
		r.sendText(r.say("discord_form_expired"), true)
		return
	}
	comment := ""
	for _, row := range d.Components {
		ar, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range ar.Components {
			if ti, ok := c.(*discordgo.TextInput); ok && ti.CustomID == commentID {
				comment = ti.Value
			}
		}
	}
	comment = strings.TrimSpace(strings.ToValidUTF8(comment, "\uFFFD"))
	if utf8.RuneCountInString(comment) > maxComment {
		comment = string([]rune(comment)[:maxComment])
	}
	b.ratings.rec.Rated(Rating{AnswerID: id, User: user, Up: false, Comment: comment, Form: true})
	key := "discord_rate_thanks_down"
	if comment != "" {
		key = "discord_rate_thanks_comment"
	}
	r.sendText(r.say(key), true)
}
