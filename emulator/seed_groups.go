package emulator

// seedGroups adds the demo tenant's groups: Microsoft 365 groups for
// teams and "All Company", which holds the team groups (nested membership,
// for transitive listings), and a security group.
func (s *Server) seedGroups(kind string) {
	if kind != "demo" {
		return
	}
	const d = "@contoso.onmicrosoft.com"
	retail := s.AddGroup("Retail", "Retail team: stores and point of sale.", true,
		[]string{"AdeleV" + d, "IsaiahL" + d}, []string{"AdeleV" + d})
	marketing := s.AddGroup("Marketing", "Marketing campaigns and brand.", true,
		[]string{"MeganB" + d, "AlexW" + d, "MiriamG" + d}, []string{"MiriamG" + d})
	s.AddGroup("Leadership", "Directors and executives (security group).", false,
		[]string{"PattiF" + d, "MiriamG" + d, "NestorW" + d, "LeeG" + d}, []string{"PattiF" + d})
	s.AddGroup("All Company", "This is the default group for everyone in the network.", true,
		[]string{retail, marketing, "PattiF" + d, "NestorW" + d, "LeeG" + d, "LidiaH" + d, "DiegoS" + d}, []string{"PattiF" + d})
}
