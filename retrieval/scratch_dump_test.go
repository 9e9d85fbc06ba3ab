package retrieval

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

func TestScratchDump(t *testing.T) {
	out := os.Getenv("DUMP")
	if out == "" {
		t.Skip()
	}
	ix := bundledIndex(t)
	f, _ := os.Create(out)
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, set := range []string{"../../shared/eval/discord.yaml", "../../shared/eval/questions.yaml", "testdata/calibration_tune.yaml", "testdata/calibration_test.yaml", "testdata/chat_tune.yaml", "testdata/chat_test.yaml"} {
		for _, q := range loadQuestions(t, set) {
			r, err := ix.rank(context.Background(), CleanMessage(q.Q), q.Lang, 8)
			if err != nil {
				t.Fatal(err)
			}
			var chs []int
			var rels []float64
			for _, x := range r {
				chs = append(chs, ix.pick(x.group, q.Lang).Chapter)
				rels = append(rels, x.relevance)
			}
			top1 := len(chs) > 0 && slices.Contains(q.Chapters, chs[0])
			enc.Encode(map[string]any{"set": set, "q": q.Q, "lang": q.Lang, "want": q.Chapters, "chs": chs, "rels": rels, "top1": top1})
		}
	}
}
