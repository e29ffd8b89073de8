package emulator

import (
	"fmt"
	"time"
)

// seedSites gives the tenant SharePoint: the root site with its
// "Documents" library, a "Marketing"
// team site with its "Documents" library (a drive) and a subsite, a
// "Retail" team site, and in Marketing a custom "Inventory" list with a
// column of each common type and 120 items (more than one page), plus a
// small "Suppliers" list its lookup column points to. Both seeds have
// it: it is small and deterministic.
func (s *Server) seedSites(_ string) {
	created := seedBase.Add(-400 * 24 * time.Hour)
	root := s.spAddSite("", "Contoso", "Contoso", "The Contoso intranet", "", created)
	mkt := s.spAddSite("/sites/marketing", "marketing", "Marketing", "Marketing team site: campaigns, brand and events", "", created.Add(24*time.Hour))
	s.spAddSite("/sites/marketing/campaigns", "campaigns", "Campaigns", "Campaign planning", mkt.id, created.Add(48*time.Hour))
	s.spAddSite("/sites/retail", "retail", "Retail", "Retail team site: stores and merchandising", "", created.Add(72*time.Hour))
	s.ensureDrive("site", root.id, "Documents")
	s.ensureDrive("site", mkt.id, "Documents")

	var failed error
	library := map[string]any{"displayName": "Documents", "list": map[string]any{"template": "documentLibrary"}}
	if _, gerr := s.spCreateList(nil, root, library, created); gerr != nil {
		failed = gerr
	}
	mustList := func(in map[string]any) *spList {
		l, gerr := s.spCreateList(nil, mkt, in, created.Add(96*time.Hour))
		if gerr != nil && failed == nil {
			failed = gerr
		}
		return l
	}
	mustList(library)
	suppliers := mustList(map[string]any{
		"displayName": "Suppliers", "description": "Who we buy from",
		"columns": []any{map[string]any{"name": "Country", "text": map[string]any{}}},
	})
	inventory := mustList(map[string]any{
		"displayName": "Inventory", "description": "Promotional stock of the marketing team",
		"columns": []any{
			map[string]any{"name": "Name", "text": map[string]any{}},
			map[string]any{"name": "Color", "choice": map[string]any{"choices": []any{"Red", "Blue", "Green", "Black", "White", "Fuchsia"}}},
			map[string]any{"name": "Quantity", "number": map[string]any{"decimalPlaces": "none"}, "indexed": true},
			map[string]any{"name": "Price", "currency": map[string]any{"locale": "en-us"}},
			map[string]any{"name": "InStock", "displayName": "In stock", "boolean": map[string]any{}},
			map[string]any{"name": "Restocked", "dateTime": map[string]any{"format": "dateOnly"}},
			map[string]any{"name": "Owner", "personOrGroup": map[string]any{}},
			map[string]any{"name": "Supplier", "lookup": map[string]any{"listId": suppliers.id, "columnName": "Title"}},
		},
	})
	if failed != nil || suppliers == nil || inventory == nil {
		s.logger.Error("emulator: seeding SharePoint lists", "err", failed)
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	defer ss.mu.Unlock()
	supplierNames := []string{"Fabrikam", "Tailspin Toys", "Adventure Works", "Northwind Traders", "Wide World Importers"}
	countries := []string{"United States", "United States", "Canada", "United Kingdom", "Germany"}
	for i, name := range supplierNames {
		doc := s.spNewItemDoc(nil, mkt, suppliers, map[string]any{"Title": name, "Country": countries[i]}, created.Add(100*time.Hour))
		ss.items.put(spItemEntity(suppliers.id, doc))
	}
	products := []string{"Mug", "T-shirt", "Cap", "Notebook", "Pen", "Tote bag", "Sticker pack", "Water bottle", "Lanyard", "USB stick", "Umbrella", "Hoodie"}
	colors := []string{"Red", "Blue", "Green", "Black", "White", "Fuchsia"}
	for i := range 120 {
		p := products[i%len(products)]
		color := colors[(i/len(products)+i)%len(colors)]
		fields := map[string]any{
			"Title":            fmt.Sprintf("%s %s #%d", color, p, i+1),
			"Name":             p,
			"Color":            color,
			"Quantity":         float64((i*37)%500 + 3),
			"Price":            float64(2+(i*7)%40) + 0.99,
			"InStock":          i%5 != 0,
			"Restocked":        spTime(seedBase.Add(-time.Duration(i*29) * time.Hour).Truncate(24 * time.Hour)),
			"OwnerLookupId":    "6",
			"SupplierLookupId": fmt.Sprint(i%len(supplierNames) + 1),
		}
		at := created.Add(120*time.Hour + time.Duration(i)*time.Hour)
		doc := s.spNewItemDoc(nil, mkt, inventory, fields, at)
		ss.items.put(spItemEntity(inventory.id, doc))
	}
}
