// Package categories manages a user's Outlook master category list
// (/me/outlook/masterCategories): the named, coloured labels that messages,
// events, contacts and tasks carry in their Categories property.
//
// Get a handle from the account and use it:
//
//	cats := acct.Categories()
//	c, err := cats.Create(ctx, "Project expenses", categories.Cranberry)
//	...
//	err = c.SetColor(ctx, categories.DarkGreen)
//	for c, err := range cats.List(ctx) { ... }
//
// Colours are the 25 Outlook presets (preset0 … preset24) and None, as
// typed constants named after the colour Outlook shows (Red is preset0,
// Orange preset1, …); Color.Name gives the name, ParseColor accepts either
// form. Reading needs MailboxSettings.Read, writing MailboxSettings.ReadWrite.
// Category names are unique per mailbox (a duplicate is a 409,
// graph.ErrConflict) and cannot be changed once created: only the colour
// can.
package categories
