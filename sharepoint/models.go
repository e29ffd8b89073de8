package sharepoint

import (
	"time"

	"github.com/o365go/o365/graph"
)

// Site is a SharePoint site (microsoft.graph.site). Sites read through a Sharepoint
// handle are bound to it: their methods (Lists, Subsites, Storage, ...) work on them.
type Site struct {
	ID                   string    `json:"id,omitempty"`
	Name                 string    `json:"name,omitempty"`
	DisplayName          string    `json:"displayName,omitempty"`
	Description          string    `json:"description"`
	WebURL               string    `json:"webUrl,omitempty"`
	ETag                 string    `json:"eTag,omitempty"`
	CreatedDateTime      time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	// Root is set (empty) when the site is the root web of its site collection.
	Root           *Root           `json:"root,omitempty"`
	SiteCollection *SiteCollection `json:"siteCollection,omitempty"`
	// SharepointIDs is returned only when selected ($select=sharepointIds).
	SharepointIDs  *SharepointIDs `json:"sharepointIds,omitempty"`
	IsPersonalSite bool           `json:"isPersonalSite,omitempty"`

	sp *Sharepoint
}

// Root marks the root of a hierarchy; it has no properties.
type Root struct{}

// SiteCollection describes the site collection a site belongs to.
type SiteCollection struct {
	Hostname         string `json:"hostname,omitempty"`
	DataLocationCode string `json:"dataLocationCode,omitempty"`
	// Root is set when the collection is the tenant's root site collection.
	Root *Root `json:"root,omitempty"`
}

// SharepointIDs are the SharePoint REST identifiers of a site, list or item.
type SharepointIDs struct {
	ListID           string `json:"listId,omitempty"`
	ListItemID       string `json:"listItemId,omitempty"`
	ListItemUniqueID string `json:"listItemUniqueId,omitempty"`
	SiteID           string `json:"siteId,omitempty"`
	SiteURL          string `json:"siteUrl,omitempty"`
	TenantID         string `json:"tenantId,omitempty"`
	WebID            string `json:"webId,omitempty"`
}

// ItemReference locates a list or item: its parent and site.
type ItemReference struct {
	ID     string `json:"id,omitempty"`
	SiteID string `json:"siteId,omitempty"`
	Path   string `json:"path,omitempty"`
	Name   string `json:"name,omitempty"`
}

// ListTemplate is the kind of a list.
type ListTemplate string

// ListTemplate values (the common ones; others decode as they are).
const (
	TemplateGenericList     ListTemplate = "genericList"
	TemplateDocumentLibrary ListTemplate = "documentLibrary"
	TemplateAnnouncements   ListTemplate = "announcements"
	TemplateContacts        ListTemplate = "contacts"
	TemplateEvents          ListTemplate = "events"
	TemplateLinks           ListTemplate = "links"
	TemplateTasks           ListTemplate = "tasks"
	TemplateIssueTracking   ListTemplate = "issueTracking"
	TemplateSurvey          ListTemplate = "survey"
)

// ListInfo is a list's list facet.
type ListInfo struct {
	ContentTypesEnabled bool         `json:"contentTypesEnabled"`
	Hidden              bool         `json:"hidden"`
	Template            ListTemplate `json:"template,omitempty"`
}

// List is a SharePoint list or document library (microsoft.graph.list). Lists read
// through a Site are bound to it: Items, CreateItem, Columns, Delta and the other methods
// work on them.
type List struct {
	ODataETag            string             `json:"@odata.etag,omitempty"`
	ID                   string             `json:"id,omitempty"`
	Name                 string             `json:"name,omitempty"`
	DisplayName          string             `json:"displayName,omitempty"`
	Description          string             `json:"description"`
	WebURL               string             `json:"webUrl,omitempty"`
	ETag                 string             `json:"eTag,omitempty"`
	CreatedDateTime      time.Time          `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`
	CreatedBy            *graph.IdentitySet `json:"createdBy,omitempty"`
	LastModifiedBy       *graph.IdentitySet `json:"lastModifiedBy,omitempty"`
	ParentReference      *ItemReference     `json:"parentReference,omitempty"`
	SharepointIDs        *SharepointIDs     `json:"sharepointIds,omitempty"`
	List                 *ListInfo          `json:"list,omitempty"`
	// ExpandedColumns and ExpandedContentTypes are present with $expand=columns /
	// contentTypes; the Columns and ContentTypes methods list them.
	ExpandedColumns      []Column      `json:"columns,omitempty"`
	ExpandedContentTypes []ContentType `json:"contentTypes,omitempty"`

	site *Site
	snap *listWritable
}

// Fields are the values of a list item's columns, by internal column name (Graph's
// fieldValueSet). Numbers decode as float64, dates as RFC 3339 strings, lookups and
// people as "{Column}LookupId" strings.
type Fields map[string]any

// String returns the field as a string ("" when absent or not a string).
func (f Fields) String(name string) string {
	s, _ := f[name].(string)
	return s
}

// Number returns the field as a number; ok is false when absent or not a number.
func (f Fields) Number(name string) (n float64, ok bool) {
	n, ok = f[name].(float64)
	return n, ok
}

// Bool returns the field as a boolean (false when absent).
func (f Fields) Bool(name string) bool {
	b, _ := f[name].(bool)
	return b
}

// Time returns a date-time field; ok is false when absent or not a date-time.
func (f Fields) Time(name string) (t time.Time, ok bool) {
	s, isString := f[name].(string)
	if !isString {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

// ContentTypeInfo names the content type of an item.
type ContentTypeInfo struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// ListItem is an item of a list (microsoft.graph.listItem). Items read through a List
// are bound to it: Save sends the fields changed since the item was read, Delete removes
// it. Fields is empty unless the fields were expanded (the default of List.Items).
type ListItem struct {
	ODataType            string             `json:"@odata.type,omitempty"`
	ODataETag            string             `json:"@odata.etag,omitempty"`
	ID                   string             `json:"id,omitempty"`
	ETag                 string             `json:"eTag,omitempty"`
	WebURL               string             `json:"webUrl,omitempty"`
	CreatedDateTime      time.Time          `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`
	CreatedBy            *graph.IdentitySet `json:"createdBy,omitempty"`
	LastModifiedBy       *graph.IdentitySet `json:"lastModifiedBy,omitempty"`
	ParentReference      *ItemReference     `json:"parentReference,omitempty"`
	SharepointIDs        *SharepointIDs     `json:"sharepointIds,omitempty"`
	ContentType          *ContentTypeInfo   `json:"contentType,omitempty"`
	Fields               Fields             `json:"fields,omitempty"`
	// Deleted is set on delta entries of removed items.
	Deleted *Deleted `json:"deleted,omitempty"`

	list *List
	snap Fields
}

// Deleted marks a removed item in a delta round.
type Deleted struct {
	State string `json:"state,omitempty"`
}

// ColumnType is the type of a column, named after its type facet.
type ColumnType string

// ColumnType values.
const (
	ColumnText               ColumnType = "text"
	ColumnNumber             ColumnType = "number"
	ColumnBoolean            ColumnType = "boolean"
	ColumnDateTime           ColumnType = "dateTime"
	ColumnChoice             ColumnType = "choice"
	ColumnLookup             ColumnType = "lookup"
	ColumnPersonOrGroup      ColumnType = "personOrGroup"
	ColumnCurrency           ColumnType = "currency"
	ColumnCalculated         ColumnType = "calculated"
	ColumnHyperlinkOrPicture ColumnType = "hyperlinkOrPicture"
	ColumnTerm               ColumnType = "term"
	ColumnUnknown            ColumnType = ""
)

// Column is a column definition of a list or site (microsoft.graph.columnDefinition).
// Exactly one type facet (Text, Number, ...) is set; Type tells which.
type Column struct {
	ID                  string `json:"id,omitempty"`
	Name                string `json:"name,omitempty"`
	DisplayName         string `json:"displayName,omitempty"`
	Description         string `json:"description"`
	ColumnGroup         string `json:"columnGroup,omitempty"`
	EnforceUniqueValues bool   `json:"enforceUniqueValues"`
	Hidden              bool   `json:"hidden"`
	// Indexed columns can be filtered and sorted on without
	// ItemOptions.AllowNonIndexed.
	Indexed  bool `json:"indexed"`
	ReadOnly bool `json:"readOnly"`
	Required bool `json:"required"`

	Text               *TextColumn          `json:"text,omitempty"`
	Number             *NumberColumn        `json:"number,omitempty"`
	Boolean            *BooleanColumn       `json:"boolean,omitempty"`
	DateTime           *DateTimeColumn      `json:"dateTime,omitempty"`
	Choice             *ChoiceColumn        `json:"choice,omitempty"`
	Lookup             *LookupColumn        `json:"lookup,omitempty"`
	PersonOrGroup      *PersonOrGroupColumn `json:"personOrGroup,omitempty"`
	Currency           *CurrencyColumn      `json:"currency,omitempty"`
	Calculated         *CalculatedColumn    `json:"calculated,omitempty"`
	HyperlinkOrPicture *HyperlinkColumn     `json:"hyperlinkOrPicture,omitempty"`
	Term               *TermColumn          `json:"term,omitempty"`
}

// Type returns the column's type from its facet (python-o365's field_type).
func (c *Column) Type() ColumnType {
	switch {
	case c.Text != nil:
		return ColumnText
	case c.Number != nil:
		return ColumnNumber
	case c.Boolean != nil:
		return ColumnBoolean
	case c.DateTime != nil:
		return ColumnDateTime
	case c.Choice != nil:
		return ColumnChoice
	case c.Lookup != nil:
		return ColumnLookup
	case c.PersonOrGroup != nil:
		return ColumnPersonOrGroup
	case c.Currency != nil:
		return ColumnCurrency
	case c.Calculated != nil:
		return ColumnCalculated
	case c.HyperlinkOrPicture != nil:
		return ColumnHyperlinkOrPicture
	case c.Term != nil:
		return ColumnTerm
	}
	return ColumnUnknown
}

// TextColumn is the text facet.
type TextColumn struct {
	AllowMultipleLines          bool   `json:"allowMultipleLines"`
	AppendChangesToExistingText bool   `json:"appendChangesToExistingText"`
	LinesForEditing             int    `json:"linesForEditing"`
	MaxLength                   int    `json:"maxLength,omitempty"`
	TextType                    string `json:"textType,omitempty"`
}

// NumberColumn is the number facet.
type NumberColumn struct {
	DecimalPlaces string   `json:"decimalPlaces,omitempty"`
	DisplayAs     string   `json:"displayAs,omitempty"`
	Maximum       *float64 `json:"maximum,omitempty"`
	Minimum       *float64 `json:"minimum,omitempty"`
}

// BooleanColumn is the boolean facet; it has no properties.
type BooleanColumn struct{}

// DateTimeColumn is the dateTime facet.
type DateTimeColumn struct {
	DisplayAs string `json:"displayAs,omitempty"`
	// Format is "dateOnly" or "dateTime".
	Format string `json:"format,omitempty"`
}

// ChoiceColumn is the choice facet.
type ChoiceColumn struct {
	AllowTextEntry bool     `json:"allowTextEntry"`
	Choices        []string `json:"choices"`
	DisplayAs      string   `json:"displayAs,omitempty"`
}

// LookupColumn is the lookup facet: values come from a column of another list.
type LookupColumn struct {
	AllowMultipleValues   bool   `json:"allowMultipleValues"`
	AllowUnlimitedLength  bool   `json:"allowUnlimitedLength"`
	ColumnName            string `json:"columnName,omitempty"`
	ListID                string `json:"listId,omitempty"`
	PrimaryLookupColumnID string `json:"primaryLookupColumnId,omitempty"`
}

// PersonOrGroupColumn is the personOrGroup facet.
type PersonOrGroupColumn struct {
	AllowMultipleSelection bool   `json:"allowMultipleSelection"`
	ChooseFromType         string `json:"chooseFromType,omitempty"`
	DisplayAs              string `json:"displayAs,omitempty"`
}

// CurrencyColumn is the currency facet.
type CurrencyColumn struct {
	Locale string `json:"locale,omitempty"`
}

// CalculatedColumn is the calculated facet.
type CalculatedColumn struct {
	Format     string `json:"format,omitempty"`
	Formula    string `json:"formula,omitempty"`
	OutputType string `json:"outputType,omitempty"`
}

// HyperlinkColumn is the hyperlinkOrPicture facet.
type HyperlinkColumn struct {
	IsPicture bool `json:"isPicture"`
}

// TermColumn is the managed metadata (term) facet.
type TermColumn struct {
	AllowMultipleValues    bool `json:"allowMultipleValues"`
	ShowFullyQualifiedName bool `json:"showFullyQualifiedName"`
}

// ContentType is a content type of a site or list (microsoft.graph.contentType).
type ContentType struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description"`
	Group       string `json:"group,omitempty"`
	Hidden      bool   `json:"hidden"`
	ReadOnly    bool   `json:"readOnly"`
	Sealed      bool   `json:"sealed"`
	IsBuiltIn   bool   `json:"isBuiltIn,omitempty"`
	ParentID    string `json:"parentId,omitempty"`
	// Base is the content type this one derives from.
	Base *ContentType `json:"base,omitempty"`
}
