package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
	"github.com/o365go/o365/sharepoint"
)

// siteColumns are the columns of `sites search` in text, CSV and Markdown.
var siteColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "url", Path: "webUrl"},
	{Header: "id", Path: "id"},
}

// siteListColumns are the columns of `sites lists`.
var siteListColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "template", Path: "list.template"},
	{Header: "url", Path: "webUrl"},
	{Header: "id", Path: "id"},
}

// siteItemColumns are the columns of `sites items` and `sites add-item`.
var siteItemColumns = []output.Column{
	{Header: "id", Path: "id"},
	{Header: "title", Path: "fields.Title"},
	{Header: "modified", Path: "lastModifiedDateTime"},
	{Header: "url", Path: "webUrl"},
}

func (a *app) sitesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sites",
		Short: "SharePoint sites, lists and list items",
		Long: `Work with SharePoint: search sites (every page), list a site's lists, list a list's items
with their fields (every page) and add items.

SITE is a site id ("contoso.sharepoint.com,{guid},{guid}"), "root", a URL
(https://contoso.sharepoint.com/sites/marketing) or a host and path
(contoso.sharepoint.com:/sites/marketing). LIST is a list's display name or id.
Sign in with the SharePoint scope: o365 login --scopes basic,sharepoint_all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.sitesSearchCommand(), a.sitesListsCommand(), a.sitesItemsCommand(), a.sitesAddItemCommand())
	return cmd
}

// sharepoint returns the SharePoint handle of the signed-in profile.
func (a *app) sharepoint(ctx context.Context) (*sharepoint.Sharepoint, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, err
	}
	return sharepoint.New(c), nil
}

// sitesHint adds what to do to a permission error.
func sitesHint(err error) error {
	if errors.Is(err, graph.ErrForbidden) {
		return fmt.Errorf("%w (SharePoint needs the Sites.ReadWrite.All scope: o365 login --scopes basic,sharepoint_all)", err)
	}
	return err
}

// parseSiteSpec splits a SITE argument into an id, or a host and a server-relative path.
func parseSiteSpec(spec string) (id, host, path string) {
	if u, err := url.Parse(spec); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return "", u.Host, u.Path
	}
	if h, p, ok := strings.Cut(spec, ":/"); ok && !strings.Contains(h, "/") {
		return "", h, p
	}
	if h, p, ok := strings.Cut(spec, "/"); ok && strings.Contains(h, ".") && !strings.Contains(h, ",") {
		return "", h, p
	}
	return spec, "", ""
}

// resolveSite reads the site a SITE argument names.
func resolveSite(ctx context.Context, sp *sharepoint.Sharepoint, spec string) (*sharepoint.Site, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, usagef("SITE must not be empty")
	}
	id, host, path := parseSiteSpec(spec)
	var (
		s   *sharepoint.Site
		err error
	)
	if id != "" {
		s, err = sp.Site(ctx, id)
	} else {
		s, err = sp.SiteByPath(ctx, host, path)
	}
	return s, sitesHint(err)
}

func (a *app) sitesSearchCommand() *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "search [KEYWORD]",
		Short: "Search sites by name and description (every page)",
		Long: `Search the sites whose name, title or description match KEYWORD, following every page.
Without KEYWORD every site is listed.

  o365 sites search marketing -o text
  o365 sites search --query "[].webUrl"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return usagef("--limit must not be negative")
			}
			ctx := cmd.Context()
			sp, err := a.sharepoint(ctx)
			if err != nil {
				return err
			}
			kw := "*"
			if len(args) == 1 && strings.TrimSpace(args[0]) != "" {
				kw = args[0]
			}
			out := []*sharepoint.Site{}
			for s, err := range sp.Search(ctx, kw, &graph.ListOptions{Limit: limit}) {
				if err != nil {
					return sitesHint(err)
				}
				out = append(out, s)
			}
			return a.print(out, siteColumns...)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many sites (0: all)")
	return cmd
}

func (a *app) sitesListsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lists SITE",
		Short: "List the lists and libraries of a site",
		Long: `List the lists and document libraries of SITE (every page).

  o365 sites lists https://contoso.sharepoint.com/sites/marketing -o text
  o365 sites lists root --query "[].displayName"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			sp, err := a.sharepoint(ctx)
			if err != nil {
				return err
			}
			site, err := resolveSite(ctx, sp, args[0])
			if err != nil {
				return err
			}
			out := []*sharepoint.List{}
			for l, err := range site.Lists(ctx, nil) {
				if err != nil {
					return sitesHint(err)
				}
				out = append(out, l)
			}
			return a.print(out, siteListColumns...)
		},
	}
}

func (a *app) sitesItemsCommand() *cobra.Command {
	var (
		limit      int
		fields     []string
		filter     string
		orderBy    string
		nonIndexed bool
	)
	cmd := &cobra.Command{
		Use:   "items SITE LIST",
		Short: "List the items of a list with their fields (every page)",
		Long: `List the items of LIST in SITE with their fields, following every page.

--filter and --orderby take OData expressions on fields/{column}. SharePoint refuses
them on columns that are not indexed unless --allow-non-indexed is given (it sends
Prefer: HonorNonIndexedQueriesWarningMayFailRandomly; such queries may fail on large lists).

  o365 sites items contoso.sharepoint.com:/sites/marketing Inventory -o text
  o365 sites items root Documents --fields Title,Modified --limit 10
  o365 sites items https://contoso.sharepoint.com/sites/marketing Inventory \
      --filter "fields/Color eq 'Red'" --allow-non-indexed --query "[].fields.Title"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return usagef("--limit must not be negative")
			}
			if strings.TrimSpace(args[1]) == "" {
				return usagef("LIST must not be empty")
			}
			ctx := cmd.Context()
			sp, err := a.sharepoint(ctx)
			if err != nil {
				return err
			}
			site, err := resolveSite(ctx, sp, args[0])
			if err != nil {
				return err
			}
			q := odata.New()
			if filter != "" {
				q = q.Filter(odata.Raw(filter))
			}
			if orderBy != "" {
				name, dir, _ := strings.Cut(strings.TrimSpace(orderBy), " ")
				d := odata.Asc
				if strings.EqualFold(strings.TrimSpace(dir), "desc") {
					d = odata.Desc
				}
				q = q.OrderBy(name, d)
			}
			o := &sharepoint.ItemOptions{Limit: limit, Fields: fields, Query: q, AllowNonIndexed: nonIndexed}
			out := []*sharepoint.ListItem{}
			for it, err := range site.ListRef(args[1]).Items(ctx, o) {
				if err != nil {
					if errors.Is(err, graph.ErrBadRequest) && strings.Contains(err.Error(), "not indexed") {
						return fmt.Errorf("%w (add --allow-non-indexed)", err)
					}
					return sitesHint(err)
				}
				out = append(out, it)
			}
			return a.print(out, siteItemColumns...)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&limit, "limit", 0, "at most this many items (0: all)")
	fl.StringSliceVar(&fields, "fields", nil, "fields to include, by internal name (default: all)")
	fl.StringVar(&filter, "filter", "", "OData filter, e.g. \"fields/Quantity gt 10\"")
	fl.StringVar(&orderBy, "orderby", "", "sort order, e.g. \"fields/Title desc\"")
	fl.BoolVar(&nonIndexed, "allow-non-indexed", false, "allow --filter/--orderby on columns that are not indexed")
	return cmd
}

// parseFieldValue reads a --field value: JSON numbers, true, false and null as such,
// anything else as a string.
func parseFieldValue(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err == nil {
		switch v.(type) {
		case float64, bool, nil:
			return v
		}
	}
	return s
}

func (a *app) sitesAddItemCommand() *cobra.Command {
	var (
		pairs []string
		raw   string
	)
	cmd := &cobra.Command{
		Use:   "add-item SITE LIST",
		Short: "Add an item to a list",
		Long: `Add an item to LIST in SITE. Give fields by internal name with --field NAME=VALUE
(numbers, true and false are sent as such) or all at once with --json. Lookup and person
columns take the id of the looked-up item as NAMELookupId.

  o365 sites add-item root Tasks --field Title="Call Contoso"
  o365 sites add-item contoso.sharepoint.com:/sites/marketing Inventory \
      --field Title="Blue mug" --field Color=Blue --field Quantity=12 --field SupplierLookupId=2`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			fields := sharepoint.Fields{}
			if raw != "" {
				if err := json.Unmarshal([]byte(raw), &fields); err != nil {
					return usagef("--json must be a JSON object: %v", err)
				}
			}
			for _, p := range pairs {
				k, v, ok := strings.Cut(p, "=")
				if !ok || strings.TrimSpace(k) == "" {
					return usagef("--field must be NAME=VALUE, got %q", p)
				}
				fields[strings.TrimSpace(k)] = parseFieldValue(v)
			}
			if len(fields) == 0 {
				return usagef("give at least one --field NAME=VALUE or --json")
			}
			if strings.TrimSpace(args[1]) == "" {
				return usagef("LIST must not be empty")
			}
			ctx := cmd.Context()
			sp, err := a.sharepoint(ctx)
			if err != nil {
				return err
			}
			site, err := resolveSite(ctx, sp, args[0])
			if err != nil {
				return err
			}
			it, err := site.ListRef(args[1]).CreateItem(ctx, fields)
			if err != nil {
				return sitesHint(err)
			}
			return a.print(it, siteItemColumns...)
		},
	}
	cmd.Flags().StringArrayVar(&pairs, "field", nil, "a field as NAME=VALUE (repeatable)")
	cmd.Flags().StringVar(&raw, "json", "", "the fields as a JSON object")
	return cmd
}
