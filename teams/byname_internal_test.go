package teams

import (
	"errors"
	"iter"
	"testing"

	"github.com/o365go/o365/graph"
)

func TestTeamsByName(t *testing.T) {
	seq := func(items ...*Team) iter.Seq2[*Team, error] {
		return func(yield func(*Team, error) bool) {
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
	key := func(tm *Team) (string, string) { return tm.DisplayName, tm.ID }
	a, b, c := &Team{ID: "1", DisplayName: "Retail"}, &Team{ID: "2", DisplayName: "retail"}, &Team{ID: "3", DisplayName: "Sales"}
	if got, err := byName(seq(a, c), "RETAIL", "team", key); err != nil || got != a {
		t.Fatalf("single: %v %v", got, err)
	}
	if _, err := byName(seq(a, b, c), "Retail", "team", key); !errors.Is(err, ErrAmbiguous) || err.Error() != `teams: several items have this name: "Retail" is the name of 2 teams (ids 1, 2)` {
		t.Fatalf("ambiguous: %v", err)
	}
	if _, err := byName(seq(c), "Retail", "team", key); !errors.Is(err, ErrNotFound) || !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("none: %v", err)
	}
	boom := errors.New("boom")
	failing := func(yield func(*Team, error) bool) { yield(nil, boom) }
	if _, err := byName(failing, "Retail", "team", key); !errors.Is(err, boom) {
		t.Fatalf("error: %v", err)
	}
}
