package emulator

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// seedBase is the instant the generated mail is dated back from, fixed so
// that seeds are deterministic.
var seedBase = time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC)

// demoUsers is the demo tenant: Contoso.
var demoUsers = []User{
	{UPN: "AdeleV@contoso.onmicrosoft.com", GivenName: "Adele", Surname: "Vance", JobTitle: "Retail Manager", Department: "Retail", OfficeLocation: "18/2111", MobilePhone: "+1 425 555 0109", BusinessPhones: []string{"+1 425 555 0109"}, PreferredLanguage: "en-US", City: "Bellevue", State: "WA", Country: "United States", StreetAddress: "205 108th Ave NE, Suite 400", PostalCode: "98004", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100021", ManagerID: "MiriamG@contoso.onmicrosoft.com"},
	{UPN: "MiriamG@contoso.onmicrosoft.com", GivenName: "Miriam", Surname: "Graham", JobTitle: "Director", Department: "Sales & Marketing", OfficeLocation: "131/2103", MobilePhone: "+1 206 555 0136", BusinessPhones: []string{"+1 206 555 0136"}, PreferredLanguage: "en-US", City: "San Diego", State: "CA", Country: "United States", StreetAddress: "9255 Towne Center Dr., Suite 400", PostalCode: "92121", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100004", ManagerID: "PattiF@contoso.onmicrosoft.com"},
	{UPN: "PattiF@contoso.onmicrosoft.com", GivenName: "Patti", Surname: "Fernandez", JobTitle: "President", Department: "Executive Management", OfficeLocation: "15/1102", MobilePhone: "+1 425 555 0110", BusinessPhones: []string{"+1 425 555 0110"}, PreferredLanguage: "en-US", City: "Louisville", State: "KY", Country: "United States", StreetAddress: "9900 Corporate Campus Dr., Suite 3000", PostalCode: "40223", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100001"},
	{UPN: "AlexW@contoso.onmicrosoft.com", GivenName: "Alex", Surname: "Wilber", JobTitle: "Marketing Assistant", Department: "Marketing", OfficeLocation: "131/1104", BusinessPhones: []string{"+1 858 555 0110"}, PreferredLanguage: "en-US", City: "San Diego", State: "CA", Country: "United States", StreetAddress: "9256 Towne Center Dr., Suite 400", PostalCode: "92121", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100112", ManagerID: "MiriamG@contoso.onmicrosoft.com"},
	{UPN: "MeganB@contoso.onmicrosoft.com", GivenName: "Megan", Surname: "Bowen", JobTitle: "Marketing Manager", Department: "Marketing", OfficeLocation: "12/1110", BusinessPhones: []string{"+1 412 555 0109"}, PreferredLanguage: "en-US", City: "Pittsburgh", State: "PA", Country: "United States", StreetAddress: "30 Isabella St., Second Floor", PostalCode: "15212", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100031", ManagerID: "MiriamG@contoso.onmicrosoft.com"},
	{UPN: "NestorW@contoso.onmicrosoft.com", GivenName: "Nestor", Surname: "Wilke", JobTitle: "Director", Department: "Operations", OfficeLocation: "36/2121", BusinessPhones: []string{"+1 206 555 0105"}, PreferredLanguage: "en-US", City: "Seattle", State: "WA", Country: "United States", StreetAddress: "8000 Marina Blvd, Suite 300", PostalCode: "98121", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100006", ManagerID: "PattiF@contoso.onmicrosoft.com"},
	{UPN: "LeeG@contoso.onmicrosoft.com", GivenName: "Lee", Surname: "Gu", JobTitle: "Director", Department: "Manufacturing", OfficeLocation: "23/3101", BusinessPhones: []string{"+1 913 555 0101"}, PreferredLanguage: "en-US", City: "Overland Park", State: "KS", Country: "United States", StreetAddress: "10801 Mastin Blvd., Suite 620", PostalCode: "66210", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100008", ManagerID: "PattiF@contoso.onmicrosoft.com"},
	{UPN: "LidiaH@contoso.onmicrosoft.com", GivenName: "Lidia", Surname: "Holloway", JobTitle: "Product Manager", Department: "Engineering", OfficeLocation: "20/1101", BusinessPhones: []string{"+1 918 555 0107"}, PreferredLanguage: "en-US", City: "Tulsa", State: "OK", Country: "United States", StreetAddress: "7633 E. 63rd Place, Suite 300", PostalCode: "74133", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100042", ManagerID: "LeeG@contoso.onmicrosoft.com"},
	{UPN: "IsaiahL@contoso.onmicrosoft.com", GivenName: "Isaiah", Surname: "Langer", JobTitle: "Sales Rep", Department: "Sales", OfficeLocation: "20/1101", BusinessPhones: []string{"+1 918 555 0104"}, PreferredLanguage: "en-US", City: "Tulsa", State: "OK", Country: "United States", StreetAddress: "7633 E. 63rd Place, Suite 300", PostalCode: "74133", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100077", ManagerID: "MiriamG@contoso.onmicrosoft.com"},
	{UPN: "DiegoS@contoso.onmicrosoft.com", GivenName: "Diego", Surname: "Siciliani", JobTitle: "HR Manager", Department: "HR", OfficeLocation: "14/1108", BusinessPhones: []string{"+1 205 555 0108"}, PreferredLanguage: "en-US", City: "Birmingham", State: "AL", Country: "United States", StreetAddress: "3535 Grandview Pkwy, Suite 335", PostalCode: "35243", UsageLocation: "US", CompanyName: "Contoso", EmployeeID: "100015", ManagerID: "PattiF@contoso.onmicrosoft.com"},
}

// seed loads the initial data.
func (s *Server) seed(kind string) error {
	s.publicID = defaultPublicClient
	s.confID, s.confSecret = defaultConfClient, defaultConfSecret
	s.RegisterApp(App{
		ClientID: defaultPublicClient,
		Name:     "o365 for Go (emulator public client)",
		RedirectURIs: []string{
			"http://localhost", "http://127.0.0.1",
			"https://login.microsoftonline.com/common/oauth2/nativeclient",
		},
		// No DelegatedScopes: the app may be granted any Graph scope, so
		// every area's permissions work without registering anything.
		Public: true,
	})
	s.RegisterApp(App{
		ClientID:     defaultConfClient,
		Name:         "o365 for Go (emulator daemon)",
		Secret:       defaultConfSecret,
		RedirectURIs: []string{"http://localhost/callback", "https://localhost/callback"},
		Roles:        confidentialRoles,
	})
	users := demoUsers[:1]
	if kind == "demo" {
		users = demoUsers
	}
	for i, u := range users {
		added := s.AddUser(u)
		if i == 0 {
			s.mu.Lock()
			s.defaultUser = added
			s.mu.Unlock()
		}
	}
	if kind == "demo" {
		// A shared mailbox Adele is delegated on (Mail.Read.Shared).
		shared := s.AddUser(User{UPN: "SalesTeam@contoso.onmicrosoft.com", DisplayName: "Contoso Sales", Department: "Sales", CompanyName: "Contoso", UsageLocation: "US"})
		s.mu.Lock()
		s.sharedMailboxes[shared.ID] = true // not a correspondent
		s.mu.Unlock()
		if err := s.GrantMailboxAccess(shared.UPN, s.defaultUser.UPN); err != nil {
			return err
		}
		if err := s.seedMessages(shared.UPN, "inbox", 30); err != nil {
			return err
		}
		owner := s.defaultUser.UPN
		for _, f := range []struct {
			folder string
			n      int
		}{{"inbox", 180}, {"sentitems", 40}, {"archive", 20}, {"deleteditems", 6}, {"drafts", 4}} {
			if err := s.seedMessages(owner, f.folder, f.n); err != nil {
				return err
			}
		}
	}
	s.seedContacts(kind)
	s.seedGroups(kind)
	s.seedDrive(kind)
	s.seedExcel(kind) // after seedDrive: the file lives in a drive
	s.seedPlanner(kind)
	s.seedTodo(kind)
	s.seedSites(kind)
	s.seedCalendar(kind)
	s.seedTeams(kind)
	return nil
}

// SeedMessages adds n realistic messages to the inbox of the user (UPN or
// id). The content is deterministic for a given mailbox and call order;
// 100,000 messages take about a second.
func (s *Server) SeedMessages(upn string, n int) error {
	return s.seedMessages(upn, "inbox", n)
}

// SeedMessagesIn is SeedMessages into another folder, by id or
// well-known name ("sentitems", "archive", ...).
func (s *Server) SeedMessagesIn(upn, folder string, n int) error {
	return s.seedMessages(upn, folder, n)
}

func (s *Server) seedMessages(upn, folderKey string, n int) error {
	if n < 0 {
		return fmt.Errorf("emulator: negative message count %d", n)
	}
	owner, ok := s.lookupUser(upn)
	if !ok {
		return fmt.Errorf("emulator: no user %q", upn)
	}
	mb := s.ensureMailbox(owner.ID)
	s.mu.Lock()
	folder := mb.folderByKey(folderKey)
	start := mb.seq
	mb.seq += uint64(n)
	s.mu.Unlock()
	if folder == nil {
		return fmt.Errorf("emulator: no folder %q in %s's mailbox", folderKey, upn)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(lower(owner.ID) + "\x00" + folder.wellKnown))
	rng := rand.New(rand.NewPCG(h.Sum64(), start))
	g := &mailGen{
		rng:     rng,
		owner:   owner,
		folder:  folder,
		sent:    folder.wellKnown == "sentitems",
		drafts:  folder.wellKnown == "drafts",
		people:  s.mailPeople(owner.ID),
		idBase:  outlookID("AAMkA", owner.ID, "messages")[5:],
		convIDs: make([]string, 0, 64),
	}
	span := 180 * 24 * time.Hour
	es := make([]*entity, 0, n)
	for i := 0; i < n; i++ {
		// Spread the messages over six months, newest first, with a
		// little jitter; later calls interleave with earlier ones.
		off := time.Duration(float64(span) * (float64(i) + rng.Float64()) / float64(max(n, 1)))
		es = append(es, g.message(start+uint64(i), seedBase.Add(-off)))
	}
	s.store.messages.put(es...)
	return nil
}

// person is a mail correspondent.
type person struct{ name, addr string }

// mailPeople are the correspondents of a mailbox: the tenant's other users
// and a few outside senders.
func (s *Server) mailPeople(ownerID string) []person {
	var out []person
	s.mu.Lock()
	seen := map[string]bool{}
	for _, u := range s.users {
		if u.ID == ownerID || seen[u.ID] || s.sharedMailboxes[u.ID] {
			continue
		}
		seen[u.ID] = true
		out = append(out, person{u.DisplayName, u.Mail})
	}
	s.mu.Unlock()
	// Map iteration order is random: sort for determinism.
	sortPeople(out)
	out = append(out,
		person{"Microsoft 365 Message center", "o365mc@microsoft.com"},
		person{"Contoso Travel", "travel@contoso.com"},
		person{"Fabrikam Sales", "sales@fabrikam.com"},
		person{"GitHub", "noreply@github.com"},
		person{"Zoë Robbins", "zoe.robbins@adventure-works.com"},
		person{"Tailspin Toys Support", "support@tailspintoys.com"},
	)
	return out
}

func sortPeople(p []person) {
	for i := 1; i < len(p); i++ {
		for j := i; j > 0 && p[j].addr < p[j-1].addr; j-- {
			p[j], p[j-1] = p[j-1], p[j]
		}
	}
}

// mailGen writes message JSON directly (no reflection), so seeding
// 100,000 messages stays fast.
type mailGen struct {
	rng     *rand.Rand
	owner   User
	folder  *folderDoc
	sent    bool
	drafts  bool
	people  []person
	idBase  string
	convIDs []string
	// scratch buffers reused across messages
	buf, html, preview, para []byte
	paras                    []string
}

var (
	topics = []string{"Q3 budget review", "Project Falcon status", "Northwind contract renewal", "Retail expansion plan",
		"Holiday staffing", "Store 18 remodel", "Customer survey results", "Inventory reconciliation", "Marketing launch checklist",
		"Vendor onboarding", "Security awareness training", "Quarterly business review", "Pricing update for spring",
		"Team offsite agenda", "Supply chain delays", "New POS rollout", "Regional sales forecast", "Hiring plan for Q1",
		"Mark 8 product feedback", "Contoso Bikes partnership"}
	subjectForms = []string{"%s", "Re: %s", "RE: %s", "Fw: %s", "[Action required] %s", "Update: %s", "%s - notes",
		"Quick question about %s", "Re: %s (follow-up)", "Draft: %s"}
	sentences = []string{
		"Thanks for pulling this together so quickly.",
		"I have attached the latest numbers from the regional teams.",
		"Could you review the figures before our meeting on Thursday?",
		"The vendor confirmed delivery for the second week of the month.",
		"We are still waiting on approval from finance for the additional headcount.",
		"Let me know if you see anything that needs to change before I send it out.",
		"The pilot stores reported a 12% increase in weekend traffic.",
		"Please add your comments directly in the shared document.",
		"I moved the review to next Tuesday so that everyone can attend.",
		"Our customers have asked for more flexible pickup options.",
		"The draft looks good to me; only a couple of minor edits.",
		"Can we schedule 30 minutes to go over the open questions?",
		"Legal has signed off on the updated terms.",
		"The dashboard now refreshes every hour instead of once a day.",
		"I will share the recording after the call for those who cannot join.",
		"We need a decision by Friday to keep the launch on track.",
		"Inventory counts in the Bellevue store are now reconciled.",
		"Great work from the whole team on this one.",
	}
	categoryPool = []string{"Red category", "Blue category", "Green category", "Yellow category", "Purple category", "Orange category"}
)

func (g *mailGen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// message builds one stored message.
func (g *mailGen) message(seq uint64, received time.Time) *entity {
	r := g.rng
	other := g.people[r.IntN(len(g.people))]
	me := person{g.owner.DisplayName, g.owner.Mail}
	from, to := other, []person{me}
	if g.sent || g.drafts {
		from, to = me, []person{other}
	}
	if r.IntN(4) == 0 {
		to = append(to, g.people[r.IntN(len(g.people))])
	}
	var cc []person
	if r.IntN(3) == 0 {
		cc = append(cc, g.people[r.IntN(len(g.people))])
	}
	topic := g.pick(topics)
	subject := fmt.Sprintf(g.pick(subjectForms), topic)
	received = received.Truncate(time.Second)
	sent := received.Add(-time.Duration(2+r.IntN(90)) * time.Second)
	created := received.Add(time.Duration(r.IntN(3)) * time.Second)
	modified := created.Add(time.Duration(r.IntN(5)) * time.Second)
	isRead := r.IntN(10) < 7 || g.sent
	hasAtt := r.IntN(6) == 0
	importance := "normal"
	switch r.IntN(20) {
	case 0, 1:
		importance = "high"
	case 2:
		importance = "low"
	}
	var cats []string
	if r.IntN(5) == 0 {
		cats = append(cats, g.pick(categoryPool))
		if r.IntN(4) == 0 {
			if c := g.pick(categoryPool); c != cats[0] {
				cats = append(cats, c)
			}
		}
	}
	flag := "notFlagged"
	switch r.IntN(25) {
	case 0:
		flag = "flagged"
	case 1:
		flag = "complete"
	}
	inference := "focused"
	if from.addr == "o365mc@microsoft.com" || from.addr == "noreply@github.com" || r.IntN(8) == 0 {
		inference = "other"
	}
	// Conversations: a third of the messages continue an earlier thread.
	var conv string
	if len(g.convIDs) > 0 && r.IntN(3) == 0 {
		conv = g.convIDs[r.IntN(len(g.convIDs))]
	} else {
		conv = "AAQkA" + g.idBase[:40] + b64u(r.Uint64(), r.Uint64())
		if len(g.convIDs) < cap(g.convIDs) {
			g.convIDs = append(g.convIDs, conv)
		} else {
			g.convIDs[r.IntN(len(g.convIDs))] = conv
		}
	}
	id := "AAMkA" + g.idBase + "BGAAAAAA" + b64u(seq*0x9e3779b97f4a7c15, seq) + "AAA="
	changeKey := "CQAAABYAAAA" + b64u(seq^0x5bd1e995, uint64(modified.Unix()))[:20]

	// Body: a greeting, 4-9 sentences in paragraphs of three, a signature.
	first, _, _ := strings.Cut(to[0].name, " ")
	sig, _, _ := strings.Cut(from.name, " ")
	paras := g.paras[:0]
	para := g.para[:0]
	si := r.IntN(len(sentences))
	for i, n := 0, 4+r.IntN(6); i < n; i++ {
		if len(para) > 0 {
			para = append(para, ' ')
		}
		si = (si + 1 + r.IntN(3)) % len(sentences) // no sentence twice in a row
		para = append(para, sentences[si]...)
		if i%3 == 2 || i == n-1 {
			paras = append(paras, string(para))
			para = para[:0]
		}
	}
	g.paras, g.para = paras, para
	// bodyPreview: the text with line breaks folded, at most 255 bytes.
	pv := append(g.preview[:0], "Hi "...)
	pv = append(pv, first...)
	pv = append(pv, ',')
	for _, p := range paras {
		pv = append(pv, ' ')
		pv = append(pv, p...)
	}
	pv = append(pv, " Best regards, "...)
	pv = append(pv, sig...)
	if len(pv) > 255 {
		pv = pv[:255]
		for !utf8.Valid(pv) {
			pv = pv[:len(pv)-1]
		}
	}
	g.preview = pv
	html := append(g.html[:0], htmlHead...)
	html = appendDiv(html, "Hi "+first+",")
	for _, p := range paras {
		html = appendDiv(html, p)
	}
	html = appendDiv(html, "Best regards,<br>\r\n"+sig)
	html = append(html, "</body>\r\n</html>\r\n"...)
	g.html = html

	b := g.buf[:0]
	b = append(b, `{"@odata.etag":"W/\"`...)
	b = append(b, changeKey...)
	b = append(b, `\"","id":"`...)
	b = append(b, id...)
	b = append(b, `","createdDateTime":"`...)
	b = created.AppendFormat(b, "2006-01-02T15:04:05Z")
	b = append(b, `","lastModifiedDateTime":"`...)
	b = modified.AppendFormat(b, "2006-01-02T15:04:05Z")
	b = append(b, `","changeKey":"`...)
	b = append(b, changeKey...)
	b = append(b, `","categories":[`...)
	for i, c := range cats {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONStr(b, c)
	}
	b = append(b, `],"receivedDateTime":"`...)
	b = received.AppendFormat(b, "2006-01-02T15:04:05Z")
	b = append(b, `","sentDateTime":"`...)
	b = sent.AppendFormat(b, "2006-01-02T15:04:05Z")
	b = append(b, `","hasAttachments":`...)
	b = strconv.AppendBool(b, hasAtt)
	b = append(b, `,"internetMessageId":"<`...)
	b = append(b, b64hex(r.Uint64(), r.Uint64())...)
	b = append(b, `@DM6PR11MB4657.namprd11.prod.outlook.com>","subject":`...)
	b = appendJSONStr(b, subject)
	b = append(b, `,"bodyPreview":`...)
	b = appendJSONBytes(b, pv)
	b = append(b, `,"importance":"`...)
	b = append(b, importance...)
	b = append(b, `","parentFolderId":"`...)
	b = append(b, g.folder.id...)
	b = append(b, `","conversationId":"`...)
	b = append(b, conv...)
	b = append(b, `","conversationIndex":"`...)
	// Edm.Binary: standard base64 of 22 bytes (a thread header).
	var ci [22]byte
	ci[0] = 1
	binary.BigEndian.PutUint64(ci[1:], uint64(received.Unix()))
	binary.BigEndian.PutUint64(ci[9:], r.Uint64())
	binary.BigEndian.PutUint32(ci[17:], uint32(seq))
	b = base64.StdEncoding.AppendEncode(b, ci[:])
	b = append(b, `","isDeliveryReceiptRequested":false,"isReadReceiptRequested":`...)
	b = strconv.AppendBool(b, r.IntN(15) == 0)
	b = append(b, `,"isRead":`...)
	b = strconv.AppendBool(b, isRead)
	b = append(b, `,"isDraft":`...)
	b = strconv.AppendBool(b, g.drafts)
	b = append(b, `,"webLink":"https://outlook.office365.com/owa/?ItemID=`...)
	b = append(b, url.QueryEscape(id)...)
	b = append(b, `&exvsurl=1&viewmodel=ReadMessageItem","inferenceClassification":"`...)
	b = append(b, inference...)
	b = append(b, `","body":{"contentType":"html","content":`...)
	b = appendJSONBytes(b, html)
	b = append(b, `},"sender":`...)
	b = appendRecipient(b, from)
	b = append(b, `,"from":`...)
	b = appendRecipient(b, from)
	b = append(b, `,"toRecipients":`...)
	b = appendRecipients(b, to)
	b = append(b, `,"ccRecipients":`...)
	b = appendRecipients(b, cc)
	b = append(b, `,"bccRecipients":[],"replyTo":[],"flag":{"flagStatus":"`...)
	b = append(b, flag...)
	b = append(b, '"')
	if flag != "notFlagged" {
		// Flagged items carry their dates, as Outlook sets them.
		start := received.Truncate(24 * time.Hour)
		b = appendDateTimeTZ(b, "startDateTime", start)
		b = appendDateTimeTZ(b, "dueDateTime", start.Add(48*time.Hour))
		if flag == "complete" {
			b = appendDateTimeTZ(b, "completedDateTime", received.Add(26*time.Hour))
		}
	}
	b = append(b, `}}`...)
	g.buf = b
	raw := make([]byte, len(b))
	copy(raw, b)

	idx := &msgIndex{
		received: received.Unix(), sent: sent.Unix(), created: created.Unix(), modified: modified.Unix(),
		subject: subject, fromName: from.name, fromAddr: from.addr, categories: cats,
		folder: g.folder.id, conversation: conv, importance: importance, inference: inference,
		isRead: isRead, isDraft: g.drafts, hasAttachments: hasAtt, id: id,
	}
	return &entity{id: id, part: g.owner.ID, raw: raw, idx: idx, etag: `W/"` + changeKey + `"`}
}

const htmlHead = "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n<style type=\"text/css\" style=\"display:none\">\r\n<!--\r\np\r\n\t{margin-top:0;\r\n\tmargin-bottom:0}\r\n-->\r\n</style>\r\n</head>\r\n<body dir=\"ltr\">\r\n"

// appendDiv appends a paragraph as Outlook's HTML editor writes it.
func appendDiv(b []byte, text string) []byte {
	const open = "<div style=\"font-family:Calibri,Arial,Helvetica,sans-serif; font-size:12pt; color:rgb(0,0,0)\">\r\n"
	b = append(b, open...)
	b = append(b, text...)
	b = append(b, "</div>\r\n"...)
	b = append(b, open...)
	return append(b, "<br>\r\n</div>\r\n"...)
}

// appendDateTimeTZ appends ,"name":{dateTimeTimeZone in UTC}.
func appendDateTimeTZ(b []byte, name string, t time.Time) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":{"dateTime":"`...)
	b = t.UTC().AppendFormat(b, "2006-01-02T15:04:05.0000000")
	return append(b, `","timeZone":"UTC"}`...)
}

func appendRecipient(b []byte, p person) []byte {
	b = append(b, `{"emailAddress":{"name":`...)
	b = appendJSONStr(b, p.name)
	b = append(b, `,"address":`...)
	b = appendJSONStr(b, p.addr)
	return append(b, `}}`...)
}

func appendRecipients(b []byte, ps []person) []byte {
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRecipient(b, p)
	}
	return append(b, ']')
}

// appendJSONStr appends s as a JSON string, escaping only what JSON
// requires (Graph does not escape HTML characters).
func appendJSONStr(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONBytes is appendJSONStr for a byte slice.
func appendJSONBytes(b, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// b64u encodes two words as unpadded URL-safe base64 (Outlook ids use
// that alphabet).
func b64u(a, c uint64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var buf [22]byte
	for i := 0; i < 11; i++ {
		buf[i] = alphabet[a&63]
		a >>= 6
		buf[11+i] = alphabet[c&63]
		c >>= 6
	}
	return string(buf[:])
}

func b64hex(a, c uint64) string {
	return strconv.FormatUint(a, 16) + strconv.FormatUint(c, 16)
}
