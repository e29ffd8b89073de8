package sharepoint_test

import (
	"context"
	"errors"
	"testing"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/sharepoint"
)

// TestDocumentLibraries: a site's document libraries are drives, handed out as drive
// handles (python-o365's get_default_document_library, list_document_libraries,
// get_document_library).
func TestDocumentLibraries(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	site, _ := marketing(t, acct.Sharepoint())
	lib, err := site.DefaultDocumentLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lib.Name != "Documents" || lib.ID == "" {
		t.Fatalf("default library = %+v", lib)
	}
	libs := collect(t, site.DocumentLibraries(ctx, nil))
	if len(libs) == 0 || libs[0].ID != lib.ID {
		t.Errorf("libraries = %+v", libs)
	}
	byID, err := site.DocumentLibrary(ctx, lib.ID)
	if err != nil || byID.ID != lib.ID {
		t.Errorf("library by id = %+v, %v", byID, err)
	}
	if _, err := site.DocumentLibrary(ctx, "b!nope"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown library: %v", err)
	}
	if site.Storage().Resource() != graph.Site(site.ID) {
		t.Errorf("storage resource %q", site.Storage().Resource())
	}
	var unbound sharepoint.Site
	if _, err := unbound.DefaultDocumentLibrary(ctx); !errors.Is(err, sharepoint.ErrUnbound) {
		t.Errorf("unbound: %v", err)
	}
	for _, err := range unbound.DocumentLibraries(ctx, nil) {
		if !errors.Is(err, sharepoint.ErrUnbound) {
			t.Errorf("unbound libraries: %v", err)
		}
	}
}
