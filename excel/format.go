package excel

import (
	"context"
	"fmt"
)

// HorizontalAlignment is a range's horizontal alignment.
type HorizontalAlignment string

// Horizontal alignments.
const (
	AlignGeneral               HorizontalAlignment = "General"
	AlignLeft                  HorizontalAlignment = "Left"
	AlignCenter                HorizontalAlignment = "Center"
	AlignRight                 HorizontalAlignment = "Right"
	AlignFill                  HorizontalAlignment = "Fill"
	AlignJustify               HorizontalAlignment = "Justify"
	AlignCenterAcrossSelection HorizontalAlignment = "CenterAcrossSelection"
	AlignDistributed           HorizontalAlignment = "Distributed"
)

// VerticalAlignment is a range's vertical alignment.
type VerticalAlignment string

// Vertical alignments.
const (
	AlignTop                 VerticalAlignment = "Top"
	AlignMiddle              VerticalAlignment = "Center"
	AlignBottom              VerticalAlignment = "Bottom"
	AlignVerticalJustify     VerticalAlignment = "Justify"
	AlignVerticalDistributed VerticalAlignment = "Distributed"
)

// RangeFormat is a range's format (microsoft.graph.workbookRangeFormat): alignment, wrap,
// row height and column width (in points). Font, Fill and Borders read its parts; Save
// PATCHes what changed.
type RangeFormat struct {
	ColumnWidth         float64             `json:"columnWidth,omitempty"`
	RowHeight           float64             `json:"rowHeight,omitempty"`
	HorizontalAlignment HorizontalAlignment `json:"horizontalAlignment,omitempty"`
	VerticalAlignment   VerticalAlignment   `json:"verticalAlignment,omitempty"`
	WrapText            bool                `json:"wrapText"`

	wb   *Workbook
	path string // the format's path
	snap snapshot
}

type formatWritable struct {
	ColumnWidth         float64             `json:"columnWidth"`
	RowHeight           float64             `json:"rowHeight"`
	HorizontalAlignment HorizontalAlignment `json:"horizontalAlignment"`
	VerticalAlignment   VerticalAlignment   `json:"verticalAlignment"`
	WrapText            bool                `json:"wrapText"`
}

func (f *RangeFormat) writable() formatWritable {
	return formatWritable{ColumnWidth: f.ColumnWidth, RowHeight: f.RowHeight, HorizontalAlignment: f.HorizontalAlignment,
		VerticalAlignment: f.VerticalAlignment, WrapText: f.WrapText}
}

// Format reads the range's format (GET .../format).
func (r *Range) Format(ctx context.Context) (*RangeFormat, error) {
	p, err := r.at("format")
	if err != nil {
		return nil, err
	}
	var f RangeFormat
	if err := r.wb.get(ctx, p, &f); err != nil {
		return nil, err
	}
	f.wb, f.path, f.snap = r.wb, p, snap(f.writable())
	return &f, nil
}

func (f *RangeFormat) at(rest string) (string, error) {
	if f == nil || f.wb == nil {
		return "", ErrUnbound
	}
	if rest == "" {
		return f.path, nil
	}
	return f.path + "/" + rest, nil
}

// Save PATCHes the format properties that changed (a 0 width or height that was not 0
// is sent as 0, which Excel refuses: leave them alone unless you mean them).
func (f *RangeFormat) Save(ctx context.Context) error {
	p, err := f.at("")
	if err != nil {
		return err
	}
	body, err := changes(f.writable(), f.snap)
	if err != nil || len(body) == 0 {
		return err
	}
	var got RangeFormat
	if err := f.wb.patch(ctx, p, body, &got); err != nil {
		return err
	}
	got.wb, got.path, got.snap = f.wb, f.path, snap(got.writable())
	*f = got
	return nil
}

// AutofitColumns sets the columns' widths to fit their contents.
func (f *RangeFormat) AutofitColumns(ctx context.Context) error {
	p, err := f.at("autofitColumns")
	if err != nil {
		return err
	}
	return f.wb.post(ctx, p, nil, nil)
}

// AutofitRows sets the rows' heights to fit their contents.
func (f *RangeFormat) AutofitRows(ctx context.Context) error {
	p, err := f.at("autofitRows")
	if err != nil {
		return err
	}
	return f.wb.post(ctx, p, nil, nil)
}

// Underline is a font's underline style.
type Underline string

// Underline styles.
const (
	UnderlineNone             Underline = "None"
	UnderlineSingle           Underline = "Single"
	UnderlineDouble           Underline = "Double"
	UnderlineSingleAccountant Underline = "SingleAccountant"
	UnderlineDoubleAccountant Underline = "DoubleAccountant"
)

// Font is a range's font (microsoft.graph.workbookRangeFont). Colors are "#RRGGBB" or
// HTML names ("orange").
type Font struct {
	Bold      bool      `json:"bold"`
	Italic    bool      `json:"italic"`
	Color     string    `json:"color,omitempty"`
	Name      string    `json:"name,omitempty"`
	Size      float64   `json:"size,omitempty"`
	Underline Underline `json:"underline,omitempty"`

	wb   *Workbook
	path string
	snap snapshot
}

type fontWritable struct {
	Bold      bool      `json:"bold"`
	Italic    bool      `json:"italic"`
	Color     string    `json:"color"`
	Name      string    `json:"name"`
	Size      float64   `json:"size"`
	Underline Underline `json:"underline"`
}

func (f *Font) writable() fontWritable {
	return fontWritable{Bold: f.Bold, Italic: f.Italic, Color: f.Color, Name: f.Name, Size: f.Size, Underline: f.Underline}
}

// Font reads the font (GET .../format/font; python-o365's loader asks a wrong URL).
func (f *RangeFormat) Font(ctx context.Context) (*Font, error) {
	p, err := f.at("font")
	if err != nil {
		return nil, err
	}
	var fo Font
	if err := f.wb.get(ctx, p, &fo); err != nil {
		return nil, err
	}
	fo.wb, fo.path, fo.snap = f.wb, p, snap(fo.writable())
	return &fo, nil
}

// Save PATCHes the font properties that changed.
func (f *Font) Save(ctx context.Context) error {
	if f == nil || f.wb == nil {
		return ErrUnbound
	}
	body, err := changes(f.writable(), f.snap)
	if err != nil || len(body) == 0 {
		return err
	}
	var got Font
	if err := f.wb.patch(ctx, f.path, body, &got); err != nil {
		return err
	}
	got.wb, got.path, got.snap = f.wb, f.path, snap(got.writable())
	*f = got
	return nil
}

// Fill is a range's background (microsoft.graph.workbookRangeFill).
type Fill struct {
	Color string `json:"color,omitempty"`

	wb   *Workbook
	path string
}

// Fill reads the background (GET .../format/fill).
func (f *RangeFormat) Fill(ctx context.Context) (*Fill, error) {
	p, err := f.at("fill")
	if err != nil {
		return nil, err
	}
	var fi Fill
	if err := f.wb.get(ctx, p, &fi); err != nil {
		return nil, err
	}
	fi.wb, fi.path = f.wb, p
	return &fi, nil
}

// SetColor sets the background color ("#FFFF00" or "yellow").
func (fi *Fill) SetColor(ctx context.Context, color string) error {
	if fi == nil || fi.wb == nil {
		return ErrUnbound
	}
	if color == "" {
		return fi.Clear(ctx)
	}
	var got Fill
	if err := fi.wb.patch(ctx, fi.path, map[string]any{"color": color}, &got); err != nil {
		return err
	}
	fi.Color = got.Color
	return nil
}

// Clear removes the background (POST .../format/fill/clear).
func (fi *Fill) Clear(ctx context.Context) error {
	if fi == nil || fi.wb == nil {
		return ErrUnbound
	}
	if err := fi.wb.post(ctx, fi.path+"/clear", nil, nil); err != nil {
		return err
	}
	fi.Color = ""
	return nil
}

// BorderSide names a border of a range.
type BorderSide string

// Border sides.
const (
	EdgeTop          BorderSide = "EdgeTop"
	EdgeBottom       BorderSide = "EdgeBottom"
	EdgeLeft         BorderSide = "EdgeLeft"
	EdgeRight        BorderSide = "EdgeRight"
	InsideVertical   BorderSide = "InsideVertical"
	InsideHorizontal BorderSide = "InsideHorizontal"
	DiagonalDown     BorderSide = "DiagonalDown"
	DiagonalUp       BorderSide = "DiagonalUp"
)

// BorderStyle is a border's line style.
type BorderStyle string

// Border line styles.
const (
	BorderNone         BorderStyle = "None"
	BorderContinuous   BorderStyle = "Continuous"
	BorderDash         BorderStyle = "Dash"
	BorderDashDot      BorderStyle = "DashDot"
	BorderDashDotDot   BorderStyle = "DashDotDot"
	BorderDot          BorderStyle = "Dot"
	BorderDouble       BorderStyle = "Double"
	BorderSlantDashDot BorderStyle = "SlantDashDot"
)

// BorderWeight is a border's thickness.
type BorderWeight string

// Border weights.
const (
	WeightHairline BorderWeight = "Hairline"
	WeightThin     BorderWeight = "Thin"
	WeightMedium   BorderWeight = "Medium"
	WeightThick    BorderWeight = "Thick"
)

// Border is one border of a range (microsoft.graph.workbookRangeBorder). python-o365's
// set_borders does nothing; these are real.
type Border struct {
	ID        string       `json:"id,omitempty"`
	SideIndex BorderSide   `json:"sideIndex,omitempty"`
	Style     BorderStyle  `json:"style,omitempty"`
	Weight    BorderWeight `json:"weight,omitempty"`
	Color     string       `json:"color,omitempty"`
}

// Borders lists the range's borders, one per side (GET .../format/borders).
func (f *RangeFormat) Borders(ctx context.Context) ([]Border, error) {
	p, err := f.at("borders")
	if err != nil {
		return nil, err
	}
	var out []Border
	for b, err := range list[Border](ctx, f.wb, p, nil, nil) {
		if err != nil {
			return nil, err
		}
		out = append(out, *b)
	}
	return out, nil
}

// Border reads one side's border (GET .../format/borders/{side}).
func (f *RangeFormat) Border(ctx context.Context, side BorderSide) (*Border, error) {
	if side == "" {
		return nil, ErrEmptyName
	}
	p, err := f.at("borders/" + seg(string(side)))
	if err != nil {
		return nil, err
	}
	var b Border
	if err := f.wb.get(ctx, p, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// SetBorder sets one side's border (PATCH .../format/borders/{side}) to b's style,
// weight and color (empty ones are left as they are) and returns the border.
func (f *RangeFormat) SetBorder(ctx context.Context, side BorderSide, b Border) (*Border, error) {
	if side == "" {
		return nil, ErrEmptyName
	}
	p, err := f.at("borders/" + seg(string(side)))
	if err != nil {
		return nil, err
	}
	body := map[string]any{}
	if b.Style != "" {
		body["style"] = b.Style
	}
	if b.Weight != "" {
		body["weight"] = b.Weight
	}
	if b.Color != "" {
		body["color"] = b.Color
	}
	if len(body) == 0 {
		return nil, fmt.Errorf("excel: SetBorder %s: nothing to set", side)
	}
	var got Border
	if err := f.wb.patch(ctx, p, body, &got); err != nil {
		return nil, err
	}
	return &got, nil
}

// SetBorders sets the same border on several sides; with no sides, the four edges.
func (f *RangeFormat) SetBorders(ctx context.Context, b Border, sides ...BorderSide) error {
	if len(sides) == 0 {
		sides = []BorderSide{EdgeTop, EdgeBottom, EdgeLeft, EdgeRight}
	}
	for _, s := range sides {
		if _, err := f.SetBorder(ctx, s, b); err != nil {
			return err
		}
	}
	return nil
}
