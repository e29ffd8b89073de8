package excel

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/o365go/o365/graph"
)

// NamedItem is a defined name (microsoft.graph.workbookNamedItem): a name for a range,
// a formula or a constant, scoped to the workbook or to one sheet.
type NamedItem struct {
	Name    string `json:"name,omitempty"`
	Comment string `json:"comment,omitempty"`
	// Scope is "Workbook" or the sheet's name.
	Scope string `json:"scope,omitempty"`
	// Type is what the name stands for: "Range", "String", "Integer", "Double",
	// "Boolean" or "Error".
	Type string `json:"type,omitempty"`
	// Value is what the name refers to ("=Sheet1!$A$1:$B$2") or its constant, as the
	// service sent it.
	Value   json.RawMessage `json:"value,omitempty"`
	Visible bool            `json:"visible"`

	wb   *Workbook
	coll string // the collection's path: "/names" or "/worksheets/{id}/names"
	snap snapshot
}

type nameWritable struct {
	Comment string `json:"comment"`
	Visible bool   `json:"visible"`
}

func (n *NamedItem) writable() nameWritable {
	return nameWritable{Comment: n.Comment, Visible: n.Visible}
}

func (n *NamedItem) bind(wb *Workbook, coll string) *NamedItem {
	n.wb, n.coll = wb, coll
	n.snap = snap(n.writable())
	return n
}

func (n *NamedItem) path(rest string) (string, error) {
	if n == nil || n.wb == nil {
		return "", ErrUnbound
	}
	if n.Name == "" {
		return "", ErrEmptyName
	}
	p := n.coll + "/" + seg(n.Name)
	if rest != "" {
		p += "/" + rest
	}
	return p, nil
}

// Names lists the workbook's names, every page.
func (wb *Workbook) Names(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*NamedItem, error] {
	return list(ctx, wb, "/names", lo, func(n *NamedItem) { n.bind(wb, "/names") })
}

// NamedItem reads a workbook-scoped name.
func (wb *Workbook) NamedItem(ctx context.Context, name string) (*NamedItem, error) {
	return getName(ctx, wb, "/names", name)
}

// AddName adds a workbook-scoped name for a reference ("=Sheet1!$A$1:$B$2", or a
// constant) with an optional comment (POST /workbook/names/add).
func (wb *Workbook) AddName(ctx context.Context, name, reference, comment string) (*NamedItem, error) {
	return addName(ctx, wb, "/names", "add", map[string]any{"name": name, "reference": reference, "comment": comment})
}

// AddNameFormula adds a workbook-scoped name for a formula written in the user's locale
// (POST /workbook/names/addFormulaLocal).
func (wb *Workbook) AddNameFormula(ctx context.Context, name, formula, comment string) (*NamedItem, error) {
	return addName(ctx, wb, "/names", "addFormulaLocal", map[string]any{"name": name, "formula": formula, "comment": comment})
}

func getName(ctx context.Context, wb *Workbook, coll, name string) (*NamedItem, error) {
	if name == "" {
		return nil, ErrEmptyName
	}
	var n NamedItem
	if err := wb.get(ctx, coll+"/"+seg(name), &n); err != nil {
		return nil, err
	}
	return n.bind(wb, coll), nil
}

func addName(ctx context.Context, wb *Workbook, coll, action string, body map[string]any) (*NamedItem, error) {
	if body["name"] == "" {
		return nil, ErrEmptyName
	}
	if body["comment"] == "" {
		delete(body, "comment")
	}
	var n NamedItem
	if err := wb.post(ctx, coll+"/"+action, body, &n); err != nil {
		return nil, err
	}
	return n.bind(wb, coll), nil
}

// Range reads the range the name refers to.
func (n *NamedItem) Range(ctx context.Context) (*Range, error) {
	p, err := n.path("range")
	if err != nil {
		return nil, err
	}
	return getRange(ctx, n.wb, p)
}

// Save PATCHes the comment and visibility if they changed.
func (n *NamedItem) Save(ctx context.Context) error {
	p, err := n.path("")
	if err != nil {
		return err
	}
	body, err := changes(n.writable(), n.snap)
	if err != nil || len(body) == 0 {
		return err
	}
	var got NamedItem
	if err := n.wb.patch(ctx, p, body, &got); err != nil {
		return err
	}
	wb, coll := n.wb, n.coll
	*n = got
	n.bind(wb, coll)
	return nil
}

// Delete deletes the name (not the cells it refers to).
func (n *NamedItem) Delete(ctx context.Context) error {
	p, err := n.path("")
	if err != nil {
		return err
	}
	return n.wb.del(ctx, p)
}
