package emulator

import "testing"

func TestStateToken(t *testing.T) {
	type state struct {
		Since  uint64 `json:"s"`
		Offset int    `json:"o"`
	}
	tok := encodeStateToken("XY", state{Since: 42, Offset: 7})
	var got state
	if !decodeStateToken("XY", tok, &got) || got != (state{42, 7}) {
		t.Fatalf("round trip: %v %+v", tok, got)
	}
	for _, bad := range []string{"", "XY", "ZZ" + tok[2:], tok + "!", "XY" + "bm90IGpzb24"} {
		var s state
		if decodeStateToken("XY", bad, &s) {
			t.Errorf("decoded %q", bad)
		}
	}
}

func FuzzStateToken(f *testing.F) {
	f.Add("DTeyJrIjoibSJ9")
	f.Add("XY")
	f.Fuzz(func(t *testing.T, s string) {
		var v map[string]any
		_ = decodeStateToken("DT", s, &v) // never panics
	})
}
