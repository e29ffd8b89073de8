package emulator

import (
	"time"
)

// seedDrive gives the demo tenant's Adele and Megan OneDrive content:
// folders, text files, a PNG and a JPEG photo with EXIF camera data, a file
// with two versions, and a file Adele shared with Megan (so it shows in
// Megan's sharedWithMe). The minimal seed has none: drives are made on
// first use. Everything is deterministic.
func (s *Server) seedDrive(kind string) {
	if kind != "demo" {
		return
	}
	adele := s.DefaultUser()
	megan, ok := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	if !ok {
		return
	}
	base := seedBase.Add(-72 * time.Hour)
	ad := s.userDrive(adele.ID)
	md := s.userDrive(megan.ID)
	if ad == nil || md == nil {
		return
	}
	s.drive.mu.Lock()
	defer s.drive.mu.Unlock()
	at := func(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }
	folder := func(parent *driveItem, name string, t time.Time) *driveItem {
		if f, ok := parent.children[lower(name)]; ok {
			return f
		}
		return s.newChild(parent, name, true, parent.drive.owner, t)
	}
	file := func(parent *driveItem, name string, content []byte, t time.Time) *driveItem {
		it := s.newChild(parent, name, false, parent.drive.owner, t)
		s.setContent(it, content, parent.drive.owner, t, "", nil)
		return it
	}
	// Adele.
	docs := folder(ad.root, "Documents", at(0))
	file(docs, "Welcome.txt", []byte("Welcome to your OneDrive, Adele.\nFiles here are kept in sync across your devices.\n"), at(1))
	notes := folder(docs, "Notes", at(2))
	mn := file(notes, "Meeting notes.txt", []byte("Store layout review\n- move seasonal display\n"), at(3))
	s.setContent(mn, []byte("Store layout review\n- move seasonal display\n- order new signage (Megan)\n"), ad.owner, at(5), "", nil)
	plan := file(docs, "Q4 Plan.txt", []byte("Q4 retail plan\n1. Holiday staffing\n2. Inventory targets\n3. Promotions calendar\n"), at(4))
	meg := driveIdentity{kind: "user", id: megan.ID, name: megan.DisplayName, email: megan.UPN}
	plan.perms = append(plan.perms, &drivePerm{id: "aTowIy5mfG1lbWJlcnNoaXB8bWVnYW5i", roles: []string{"write"},
		grantee: meg, signIn: true, shared: at(6), sharedBy: ad.owner})
	s.touch(plan, false)
	pics := folder(ad.root, "Pictures", at(0))
	pics.special = "photos"
	file(pics, "contoso-logo.png", seedPNG(128, 64), at(7))
	file(pics, "team-offsite.jpg", seedJPEG(320, 240, at(-240)), at(8))
	file(ad.root, "Shopping list.txt", []byte("milk\nbread\ncoffee\n"), at(9))

	// Megan.
	mdocs := folder(md.root, "Documents", at(0))
	file(mdocs, "Campaign brief.txt", []byte("Spring campaign brief\nAudience: returning customers\nChannels: email, social\n"), at(10))
	mk := folder(md.root, "Marketing", at(0))
	file(mk, "Launch checklist.txt", []byte("[ ] assets approved\n[ ] landing page live\n[ ] press release\n"), at(11))
}
