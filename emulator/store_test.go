package emulator

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCollection(t *testing.T) {
	byID := func(a, b *entity) int { return strings.Compare(a.id, b.id) }
	c := newCollection("things", byID)
	c.groupOf = func(e *entity) string { return string(e.raw) }
	ids := func(es []*entity) string {
		var out []string
		for _, e := range es {
			out = append(out, e.id)
		}
		return strings.Join(out, ",")
	}
	c.put(&entity{id: "c", part: "p1", raw: []byte("x")}, &entity{id: "a", part: "p1", raw: []byte("y")}, &entity{id: "b", part: "p2", raw: []byte("x")})
	if got := ids(c.snapshot()); got != "a,b,c" {
		t.Errorf("snapshot %s", got)
	}
	if got := ids(c.view("p1", "")); got != "a,c" {
		t.Errorf("view p1 %s", got)
	}
	if got := ids(c.view("p1", "x")); got != "c" {
		t.Errorf("view p1/x %s", got)
	}
	_, _, v0 := c.changesSince("p1", 0)
	old := c.snapshot()
	c.put(&entity{id: "a", part: "p1", raw: []byte("x")}) // replace: moves to group x
	if got := ids(c.view("p1", "x")); got != "a,c" {
		t.Errorf("view after replace %s", got)
	}
	if ids(old) != "a,b,c" || string(old[0].raw) != "y" {
		t.Error("an earlier snapshot changed")
	}
	if !c.remove("c") || c.remove("c") {
		t.Error("remove")
	}
	changed, deleted, v1 := c.changesSince("p1", v0)
	if ids(changed) != "a" || len(deleted) != 1 || deleted[0].id != "c" || v1 != v0+2 {
		t.Errorf("changes since %d: %s %+v %d", v0, ids(changed), deleted, v1)
	}
	if _, ok := c.get("c"); ok {
		t.Error("removed entity still found")
	}
	if diff := cmp.Diff("a,b", ids(c.snapshot())); diff != "" {
		t.Error(diff)
	}
}

func TestEachMemberAndProject(t *testing.T) {
	src := []byte(`{"@odata.etag":"W/\"x\"","id":"1","subject":"a \"quoted\" {brace}","body":{"content":"<p>[x]</p>","n":[1,{"a":2}]},"isRead":true,"n":null}`)
	var keys []string
	eachMember(src, func(k string, v []byte) bool { keys = append(keys, k+"="+string(v)); return true })
	want := []string{`@odata.etag="W/\"x\""`, `id="1"`, `subject="a \"quoted\" {brace}"`, `body={"content":"<p>[x]</p>","n":[1,{"a":2}]}`, `isRead=true`, `n=null`}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	out := projectString(src, []string{"Subject", "isRead", "webLink"})
	if out != `{"@odata.etag":"W/\"x\"","id":"1","subject":"a \"quoted\" {brace}","isRead":true,"webLink":null}` {
		t.Errorf("project %s", out)
	}
	// Garbage never panics.
	for _, g := range []string{"", "{", `{"a"`, `{"a":`, `{"a":"`, `[1]`, `{"a":1,,}`, `{"a":{"b":[}`} {
		eachMember([]byte(g), func(string, []byte) bool { return true })
	}
}

func projectString(src []byte, sel []string) string {
	var b bytes.Buffer
	project(&b, src, sel, func(string) ([]byte, bool) { return nil, false }, nil)
	return b.String()
}
