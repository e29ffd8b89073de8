package emulator

import (
	"net/http"
	"strings"
	"sync"
)

// Personal contacts (contact-*.md, contactfolder-*.md): every user has a
// default Contacts folder (listed by /contacts, not by /contactFolders,
// as Graph's known issue says), folders below it (/contactFolders,
// /childFolders) and contacts in any folder. Contacts live in a
// collection partitioned by user and grouped by folder, so listing gets
// $filter, $orderby, $select and paging from serveList, and delta reads
// the collection's versions and tombstones. Graph v1.0 has no move or
// copy of contacts; a folder moves by a PATCH of its parentFolderId.

// contactsState is the server's contacts data. Its zero value is ready:
// maps and the collection are made on first use.
type contactsState struct {
	mu      sync.Mutex
	coll    *collection
	folders map[string]*contactFolder // by id
	roots   map[string]string         // user id -> default folder id
	photos  map[string]contactPhoto   // by contact id
	// fver counts folder changes; fgone are the deleted folders (for
	// contactFolders/delta, contacts_folder_delta.go).
	fver  uint64
	fgone []folderTomb
}

// contactFolder is one contact folder of a user.
type contactFolder struct {
	id, user, parent, name string
	// root marks the default Contacts folder (set once, read without the lock).
	root bool
	// version is the folder change (fver) that last created, renamed or
	// moved it; 0 for seeded folders.
	version uint64
}

// contactPhoto is a contact's photo.
type contactPhoto struct {
	data        []byte
	contentType string
}

// contactKeyOrder is the order Graph writes a contact's properties in.
var contactKeyOrder = []string{"@odata.etag", "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories",
	"parentFolderId", "birthday", "fileAs", "displayName", "givenName", "initials", "middleName", "nickName", "surname",
	"title", "yomiGivenName", "yomiSurname", "yomiCompanyName", "generation", "emailAddresses", "imAddresses", "jobTitle",
	"companyName", "department", "officeLocation", "profession", "businessHomePage", "assistantName", "manager",
	"homePhones", "mobilePhone", "businessPhones", "spouseName", "personalNotes", "children", "homeAddress",
	"businessAddress", "otherAddress"}

// contactWritable are the properties a POST or PATCH may set.
var contactWritable = setOf("assistantName birthday businessAddress businessHomePage businessPhones categories children companyName department displayName emailAddresses fileAs generation givenName homeAddress homePhones imAddresses initials jobTitle manager middleName mobilePhone nickName officeLocation otherAddress personalNotes profession spouseName surname title yomiCompanyName yomiGivenName yomiSurname")

// contactProps are the selectable properties (lower case).
var contactProps = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range contactKeyOrder {
		m[lower(k)] = true
	}
	return m
}()

// init makes the maps and the collection. Caller holds st.mu.
func (st *contactsState) init() {
	if st.coll != nil {
		return
	}
	st.coll = newCollection("contacts", func(a, b *entity) int {
		x, y := lower(str(a.doc["displayName"])), lower(str(b.doc["displayName"]))
		return strings.Compare(x, y)
	})
	st.coll.groupOf = func(e *entity) string { return str(e.doc["parentFolderId"]) }
	st.folders = map[string]*contactFolder{}
	st.roots = map[string]string{}
	st.photos = map[string]contactPhoto{}
}

// collection returns the contacts collection.
func (st *contactsState) collection() *collection {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.init()
	return st.coll
}

// root returns the user's default contacts folder, creating it. Caller
// holds st.mu.
func (st *contactsState) root(userID string) *contactFolder {
	st.init()
	if id, ok := st.roots[userID]; ok {
		return st.folders[id]
	}
	f := &contactFolder{id: deterministicID("contactfolder", userID+"/Contacts"), user: userID, name: "Contacts", root: true}
	f.id = "AAMkAD" + strings.ReplaceAll(f.id, "-", "") + "AAEOAAA="
	st.folders[f.id] = f
	st.roots[userID] = f.id
	return f
}

// folder finds a user's folder by id. Caller holds st.mu.
func (st *contactsState) folder(userID, id string) *contactFolder {
	st.init()
	r := st.root(userID)
	if strings.EqualFold(id, "contacts") {
		return r
	}
	f, ok := st.folders[id]
	if !ok || f.user != userID {
		return nil
	}
	return f
}

// children lists the folders below parent, in creation order of ids
// sorted by name. Caller holds st.mu.
func (st *contactsState) children(userID, parent string) []*contactFolder {
	var out []*contactFolder
	for _, f := range st.folders {
		if f.user == userID && f.parent == parent && f.parent != "" {
			out = append(out, f)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && lower(out[j].name) < lower(out[j-1].name); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// subtree returns f and every folder below it. Caller holds st.mu.
func (st *contactsState) subtree(f *contactFolder) []*contactFolder {
	out := []*contactFolder{f}
	for i := 0; i < len(out); i++ {
		out = append(out, st.children(f.user, out[i].id)...)
	}
	return out
}

func (f *contactFolder) doc() map[string]any {
	return map[string]any{"id": f.id, "displayName": f.name, "parentFolderId": f.parent}
}

func (f *contactFolder) raw() []byte {
	return encodeObject(f.doc(), []string{"id", "displayName", "parentFolderId"})
}

func errContactFolderNotFound() *graphError {
	return errorf(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}
