package emulator

// seedContacts gives the default user of the demo tenant a few personal
// contacts (external people, as an address book holds) and a "Suppliers"
// folder; the minimal seed has none.
func (s *Server) seedContacts(kind string) {
	if kind != "demo" {
		return
	}
	owner := s.DefaultUser().ID
	st := &s.contacts
	st.mu.Lock()
	root := st.root(owner)
	sup := &contactFolder{id: "AAMkADcf" + deterministicID("contactfolder", owner+"/Suppliers"), user: owner, parent: root.id, name: "Suppliers"}
	st.folders[sup.id] = sup
	coll := st.coll
	st.mu.Unlock()
	now := seedBase
	people := []struct {
		folder                                  *contactFolder
		given, surname, email, company, title   string
		mobile, business, notes, category, city string
	}{
		{root, "Garth", "Fort", "garth.fort@fabrikam.com", "Fabrikam, Inc.", "Web Marketing Manager", "+1 425 555 0188", "+1 425 555 0100", "Met at Ignite.", "Red category", "Seattle"},
		{root, "Rob", "Young", "rob.young@adatum.com", "A. Datum Corporation", "Buyer", "+1 312 555 0134", "+1 312 555 0100", "", "", "Chicago"},
		{root, "Yasmin", "Ouedraogo", "yasmin@tailspintoys.com", "Tailspin Toys", "Product Owner", "", "+33 1 55 50 01 02", "Prefers French.", "Green category", "Paris"},
		{sup, "Ken", "Myer", "ken.myer@northwindtraders.com", "Northwind Traders", "Account Manager", "+1 206 555 0177", "+1 206 555 0170", "", "Blue category", "Redmond"},
		{sup, "Aiko", "Tanaka", "aiko.tanaka@wingtiptoys.com", "Wingtip Toys", "Supply Lead", "", "+81 3 5555 0101", "", "", "Tokyo"},
	}
	var es []*entity
	for i, p := range people {
		doc := newContactDoc(p.folder.id, now)
		doc["id"] = "AAMkADct" + deterministicID("contact", owner+"/"+p.email)
		doc["givenName"], doc["surname"] = p.given, p.surname
		doc["emailAddresses"] = []any{map[string]any{"name": p.given + " " + p.surname, "address": p.email}}
		doc["companyName"], doc["jobTitle"] = p.company, p.title
		if p.mobile != "" {
			doc["mobilePhone"] = p.mobile
		}
		doc["businessPhones"] = []any{p.business}
		if p.notes != "" {
			doc["personalNotes"] = p.notes
		}
		if p.category != "" {
			doc["categories"] = []any{p.category}
		}
		doc["businessAddress"] = map[string]any{"city": p.city}
		if i == 0 {
			doc["birthday"] = "1974-07-22T00:00:00Z"
			doc["imAddresses"] = []any{"sip:garth.fort@fabrikam.com"}
		}
		es = append(es, contactEntity(owner, doc, now))
	}
	coll.put(es...)
}
