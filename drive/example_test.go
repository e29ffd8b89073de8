package drive_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/o365go/o365"
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{Seed: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}

// Folders, an upload, a listing and a verified download. Against Microsoft 365, acct comes
// from o365.NewAccount with your app's client id and Authenticate; here it is signed in to
// a local emulator with the demo tenant.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()

	d, err := acct.Storage().DefaultDrive(ctx) // GET /me/drive
	if err != nil {
		log.Fatal(err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		log.Fatal(err)
	}
	reports, err := root.CreateFolder(ctx, "Reports 2026", drive.ConflictFail)
	if err != nil {
		log.Fatal(err)
	}
	body := []byte("Q3 revenue: 1,234,567\n")
	up, err := reports.Upload(ctx, "Q3 #1 (draft).txt", bytes.NewReader(body), int64(len(body)), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("uploaded", up.Name, up.Size, "bytes,", up.MimeType())

	it, err := d.ItemByPath(ctx, "Reports 2026/Q3 #1 (draft).txt") // each segment percent-encoded
	if err != nil {
		log.Fatal(err)
	}
	for c, err := range reports.Children(ctx, nil) { // every page
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("child:", c.Name, c.IsFile())
	}
	var buf bytes.Buffer
	if _, err := it.Download(ctx, &buf, nil); err != nil { // quickXorHash checked
		log.Fatal(err)
	}
	fmt.Print("downloaded: ", buf.String())
	// Output:
	// uploaded Q3 #1 (draft).txt 22 bytes, text/plain
	// child: Q3 #1 (draft).txt true
	// downloaded: Q3 revenue: 1,234,567
}

// A large upload through an upload session, resumable after the process ends: the session
// is saved next to the file until the upload completes.
func ExampleItem_UploadFile() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	d, _ := acct.Storage().DefaultDrive(ctx)
	root, _ := d.Root(ctx)

	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	local := filepath.Join(dir, "backup.tar")
	_ = os.WriteFile(local, bytes.Repeat([]byte("0123456789abcdef"), 6<<16), 0o600) // 6 MiB

	var steps []string
	up, err := root.UploadFile(ctx, local, "", &drive.UploadOptions{
		ChunkSize:   8 * drive.ChunkMultiple,     // 2.5 MiB chunks
		SessionFile: drive.SessionFileFor(local), // call again after a crash to resume
		Conflict:    drive.ConflictRename,        // keep an existing backup.tar
		Progress:    func(sent, total int64) { steps = append(steps, fmt.Sprint(sent*100/total, "%")) },
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(up.Name, up.Size>>20, "MiB")
	fmt.Println(strings.Join(steps, " "))
	// Output:
	// backup.tar 6 MiB
	// 0% 41% 83% 100%
}

// Sharing links and invitations.
func ExampleItem_CreateLink() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	d, _ := acct.Storage().DefaultDrive(ctx)
	root, _ := d.Root(ctx)
	it, _ := root.Upload(ctx, "plan.txt", strings.NewReader("plan"), 4, nil)

	p, err := it.CreateLink(ctx, drive.LinkOptions{Type: drive.LinkEdit, Scope: drive.ScopeOrganization})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Kind(), p.Link.Type, p.Link.Scope, p.Link.WebURL != "")
	ps, err := it.Invite(ctx, drive.Invitation{Recipients: []string{"MeganB@contoso.onmicrosoft.com"}, Roles: []drive.Role{drive.RoleRead}, RequireSignIn: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(ps), "invitation", ps[0].Roles)
	// Output:
	// link edit organization true
	// 1 invitation [read]
}

// Delta: the first round lists the drive; later rounds only what changed.
func ExampleDrive_Delta() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	d, _ := acct.Storage().DefaultDrive(ctx)

	link, err := d.LatestDeltaLink(ctx) // start from now, without listing
	if err != nil {
		log.Fatal(err)
	}
	root, _ := d.Root(ctx)
	if _, err := root.Upload(ctx, "new.txt", strings.NewReader("new"), 3, nil); err != nil {
		log.Fatal(err)
	}
	next, resynced, err := d.Sync(ctx, link, func(ch graph.Change[drive.Item]) error {
		if ch.Item != nil && ch.Item.IsFile() {
			fmt.Println("changed:", ch.Item.Name)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(next != "", resynced)
	// Output:
	// changed: new.txt
	// true false
}

// Errors are typed: a missing item matches graph.ErrNotFound, a taken name graph.ErrConflict.
func ExampleDrive_ItemByPath() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	d, _ := acct.Storage().DefaultDrive(ctx)

	_, err := d.ItemByPath(ctx, "No such folder/file.txt")
	fmt.Println(errors.Is(err, graph.ErrNotFound))
	_, err = d.ItemByPath(ctx, "../etc/passwd")
	fmt.Println(errors.Is(err, drive.ErrBadPath))
	// Output:
	// true
	// true
}
