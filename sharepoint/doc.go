// Package sharepoint is SharePoint Online through Microsoft Graph: sites (root, by id,
// by host and path, search, subsites), lists with their columns and content types, list
// items with their fields, and delta queries over items. Document libraries are drives:
// a site hands them out as drive handles.
//
// Get a handle from the account (acct.Sharepoint()) or with New. Handles do no I/O
// until a call:
//
//	sp := acct.Sharepoint()
//	site, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
//	inv, err := site.List(ctx, "Inventory")                  // by display name or id
//	for it, err := range inv.Items(ctx, &sharepoint.ItemOptions{ // every page
//		Query:           odata.New().Filter(odata.Attr("fields/Color").Eq("Red")),
//		Fields:          []string{"Title", "Quantity"},       // fields($select=...)
//		AllowNonIndexed: true,                                // Prefer: HonorNonIndexed...
//	}) {
//		...
//	}
//	it.Fields["Quantity"] = 12.0
//	err = it.Save(ctx)                                        // PATCHes Quantity only
//	lib, err := site.DefaultDocumentLibrary(ctx)              // a *drive.Drive
//
// SharePoint answers 400 to a $filter or $orderby on a column that is not indexed
// unless the request carries Prefer: HonorNonIndexedQueriesWarningMayFailRandomly;
// ItemOptions.AllowNonIndexed (or the HonorNonIndexed call option) sends it.
//
// Coming from python-o365: Sharepoint → Sharepoint, Site → Site, SharepointList → List,
// SharepointListItem → ListItem, SharepointListColumn → Column; docs/sharepoint.md has
// the full table.
package sharepoint
