package graph

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type upperText string

func (u *upperText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*u = upperText(strings.ToUpper(s))
	return nil
}

type embeddedPart struct {
	Kind string `json:"kind"`
}

type jsonModel struct {
	embeddedPart
	ID       string            `json:"id"`
	Name     string            // no tag: matched case-insensitively as encoding/json does
	When     time.Time         `json:"when"`
	Custom   upperText         `json:"custom"`
	Raw      json.RawMessage   `json:"raw"`
	Tags     []string          `json:"tags"`
	Props    map[string]any    `json:"props"`
	Ptr      *struct{ A int }  `json:"ptr"`
	Count    int64             `json:"count"`
	Nested   map[string]string `json:"nested"`
	Omitted  bool              `json:"omitted,omitempty"`
	Explicit string            `json:"Explicit"`
}

// TestDecodeLikeEncodingJSON checks that the page decoder (json v2 with v1-like options)
// fills models exactly as encoding/json does, including the quirks Graph relies on.
func TestDecodeLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	inputs := []string{
		`{"kind":"k","id":"1","name":"n","when":"2026-11-26T12:00:00.1234567Z","custom":"abc","raw":{"x":[1,2]},"tags":["a"],"props":{"n":1.5,"s":"x","b":true,"z":null},"ptr":{"A":3},"count":9007199254740993,"nested":{"a":"b"},"explicit":"lower-case key"}`,
		`{"ID":"upper-case key","id":"duplicate: last wins","NAME":"n2"}`,
		"{\"id\":\"bad utf8 \xff here\"}",
		`{"id":"2","tags":null,"ptr":null,"unknown":{"deep":[1,{"x":2}]}}`,
	}
	for _, in := range inputs {
		var want, got jsonModel
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if err := unmarshalJSON([]byte(in), &got); err != nil {
			t.Fatalf("unmarshalJSON(%s): %v", in, err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(jsonModel{})); diff != "" {
			t.Errorf("%s (-encoding/json +ours):\n%s", in, diff)
		}
		var page pageWire[jsonModel]
		if err := decodePage(strings.NewReader(`{"value":[`+in+`]}`), &page); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, page.Value[0], cmp.AllowUnexported(jsonModel{})); diff != "" {
			t.Errorf("page %s (-encoding/json +ours):\n%s", in, diff)
		}
	}
}
