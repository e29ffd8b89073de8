package categories_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/categories"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCategories(t *testing.T) {
	acct, _ := o365test.Start(t)
	ctx := context.Background()
	cats := acct.Categories()

	all, err := cats.All(ctx)
	ok(t, err)
	var got []string
	for _, c := range all {
		got = append(got, c.DisplayName+"="+c.Color.Name())
	}
	want := []string{"Red category=Red", "Orange category=Orange", "Yellow category=Yellow", "Green category=Green",
		"Blue category=Blue", "Purple category=Purple"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("defaults (-want +got):\n%s", diff)
	}

	c, err := cats.Create(ctx, "Project expenses", categories.Cranberry)
	ok(t, err)
	if c.ID == "" || c.Color != categories.Cranberry {
		t.Fatalf("created %+v", c)
	}
	if _, err := cats.Create(ctx, "project EXPENSES", categories.Red); !errors.Is(err, graph.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := cats.Create(ctx, "Bad", categories.Color("preset25")); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("bad colour: %v", err)
	}
	if _, err := cats.Create(ctx, "", categories.Red); !errors.Is(err, categories.ErrEmptyName) {
		t.Fatalf("empty name: %v", err)
	}
	plain, err := cats.Create(ctx, "No colour", categories.None)
	ok(t, err)
	if plain.Color != categories.None {
		t.Fatalf("none colour %q", plain.Color)
	}
	// Auto: the first preset not in use (Red, Orange, Yellow, Green, Blue, Purple and
	// Cranberry are): Brown.
	auto, err := cats.Create(ctx, "Auto", categories.Auto)
	ok(t, err)
	if auto.Color != categories.Brown {
		t.Fatalf("auto colour %q", auto.Color)
	}

	ok(t, c.SetColor(ctx, categories.DarkGreen))
	fresh, err := cats.Get(ctx, c.ID)
	ok(t, err)
	if fresh.Color != categories.DarkGreen || fresh.DisplayName != "Project expenses" {
		t.Fatalf("after SetColor: %+v", fresh)
	}
	if err := c.SetColor(ctx, "purple"); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("bad colour value: %v", err)
	}

	byName, err := cats.ByName(ctx, "project expenses")
	ok(t, err)
	if byName.ID != c.ID {
		t.Fatal("ByName")
	}
	if _, err := cats.ByName(ctx, "nope"); !errors.Is(err, categories.ErrNotFound) || !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing name: %v", err)
	}

	ok(t, fresh.Delete(ctx))
	if _, err := cats.Get(ctx, c.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
	if err := cats.Delete(ctx, c.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if err := cats.Delete(ctx, ""); !errors.Is(err, categories.ErrEmptyID) {
		t.Fatalf("empty id: %v", err)
	}
	var loose categories.Category
	if err := loose.SetColor(ctx, categories.Red); !errors.Is(err, categories.ErrUnbound) {
		t.Fatalf("unbound: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t, o365test.WithScopes("basic"))
	if _, err := acct.Categories().All(ctx); !errors.Is(err, graph.ErrForbidden) {
		t.Fatalf("without MailboxSettings.Read: %v", err)
	}
	// The app-only flow reads the main resource's list.
	app, _ := o365test.Start(t, o365test.AppOnly())
	if _, err := app.Categories().All(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestColors(t *testing.T) {
	cs := categories.Colors()
	if len(cs) != 26 || cs[0] != categories.None || cs[25] != categories.DarkCranberry {
		t.Fatalf("Colors: %v", cs)
	}
	for i, c := range cs {
		if !c.Valid() {
			t.Errorf("%d %q not valid", i, c)
		}
		back, err := categories.ParseColor(c.Name())
		if err != nil || back != c {
			t.Errorf("ParseColor(%q) = %q, %v", c.Name(), back, err)
		}
		back, err = categories.ParseColor(string(c))
		if err != nil || back != c {
			t.Errorf("ParseColor(%q) = %q, %v", c, back, err)
		}
	}
	for in, want := range map[string]categories.Color{"dark green": categories.DarkGreen, "DARK-RED": categories.DarkRed,
		"preset0": categories.Red, "None": categories.None, " steel ": categories.Steel} {
		if got, err := categories.ParseColor(in); err != nil || got != want {
			t.Errorf("ParseColor(%q) = %q, %v", in, got, err)
		}
	}
	if c, err := categories.ParseColor("Auto"); err != nil || c != categories.Auto {
		t.Errorf("auto: %q %v", c, err)
	}
	for _, bad := range []string{"", "preset25", "preset01", "preset-1", "mauve", "presetX"} {
		if _, err := categories.ParseColor(bad); err == nil {
			t.Errorf("ParseColor(%q) accepted", bad)
		}
	}
	if categories.Color("preset99").Name() != "preset99" || categories.Red.String() != "Red (preset0)" || categories.None.String() != "None" {
		t.Fatal("names of odd values")
	}
}

// The documented example responses decode without loss.
func TestModelRoundTrip(t *testing.T) {
	for _, doc := range []string{
		`{"id":"de912e4d-c790-4da9-949c-ccd933aaa0f7","displayName":"Yellow category","color":"preset3"}`,
		`{"id":"bac262b7-485d-4739-b436-e31467d64fac","displayName":"Project expenses","color":"preset9"}`,
		`{"id":"x","displayName":"Odd","color":"preset99"}`,
	} {
		var c categories.Category
		ok(t, json.Unmarshal([]byte(doc), &c))
		b, err := json.Marshal(c)
		ok(t, err)
		var a, z map[string]any
		ok(t, json.Unmarshal([]byte(doc), &a))
		ok(t, json.Unmarshal(b, &z))
		if diff := cmp.Diff(a, z); diff != "" {
			t.Errorf("round trip (-in +out):\n%s", diff)
		}
	}
	if !slices.Contains(categories.Colors(), categories.Color("preset9")) {
		t.Fatal("preset9")
	}
}
