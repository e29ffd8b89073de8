package groups

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"strings"

	"github.com/o365go/o365/directory"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

func (g *Group) check() error {
	if g == nil || g.gs == nil {
		return ErrUnbound
	}
	if g.ID == "" {
		return ErrNoID
	}
	return nil
}

func (g *Group) path(seg ...string) string { return graph.Group(g.ID).Path(seg...) }

// writableGroupProps are the group properties a POST or PATCH may carry.
var writableGroupProps = []string{
	"classification", "description", "displayName", "groupTypes", "isAssignableToRole",
	"mailEnabled", "mailNickname", "membershipRule", "membershipRuleProcessingState",
	"preferredDataLocation", "preferredLanguage", "resourceBehaviorOptions", "resourceProvisioningOptions",
	"securityEnabled", "theme", "uniqueName", "visibility", "assignedLabels",
	"allowExternalSenders", "autoSubscribeNewMembers", "hideFromAddressLists", "hideFromOutlookClients",
}

// fields returns the JSON of g's writable properties that are present.
func (g *Group) fields() map[string]string {
	b, err := json.Marshal(g)
	if err != nil {
		return nil
	}
	var all map[string]json.RawMessage
	if json.Unmarshal(b, &all) != nil {
		return nil
	}
	out := make(map[string]string, len(writableGroupProps))
	for _, k := range writableGroupProps {
		if v, ok := all[k]; ok {
			out[k] = string(v)
		}
	}
	return out
}

func (g *Group) snapshot() { g.snap = g.fields() }

// changes returns the writable properties that differ from the snapshot (a
// property that became empty is sent as null).
func (g *Group) changes() map[string]any {
	now := g.fields()
	out := map[string]any{}
	for k, v := range now {
		if g.snap[k] != v {
			out[k] = json.RawMessage(v)
		}
	}
	for k := range g.snap {
		if _, ok := now[k]; !ok {
			out[k] = nil
		}
	}
	return out
}

// Changed reports whether Save would send anything.
func (g *Group) Changed() bool { return len(g.changes()) > 0 }

// ref is the @odata.id of a directory object, as $ref calls and binds take it.
func (gs *Groups) ref(id string) string {
	return gs.c.Protocol().ServiceURL() + "/directoryObjects/" + id
}

// Create creates the group (POST /groups) with the fields set and InitialMembers
// and InitialOwners, and updates g with the service's answer.
func (g *Group) Create(ctx context.Context) error {
	if g == nil || g.gs == nil {
		return ErrUnbound
	}
	body := g.changes()
	body["mailEnabled"] = g.MailEnabled
	body["securityEnabled"] = g.SecurityEnabled
	for key, ids := range map[string][]string{"members@odata.bind": g.InitialMembers, "owners@odata.bind": g.InitialOwners} {
		if len(ids) == 0 {
			continue
		}
		refs := make([]string, len(ids))
		for i, id := range ids {
			refs[i] = g.gs.ref(id)
		}
		body[key] = refs
	}
	var out Group
	if err := g.gs.c.Post(ctx, "/groups", body, &out); err != nil {
		return err
	}
	gs := g.gs
	*g = out
	g.bind(gs)
	return nil
}

// Save sends the properties changed since the group was read (PATCH), nothing when
// none changed.
func (g *Group) Save(ctx context.Context) error {
	if err := g.check(); err != nil {
		return err
	}
	ch := g.changes()
	if len(ch) == 0 {
		return nil
	}
	if err := g.gs.c.Patch(ctx, g.path(), ch, nil); err != nil {
		return err
	}
	g.snapshot()
	return nil
}

// Delete deletes the group.
func (g *Group) Delete(ctx context.Context) error {
	if err := g.check(); err != nil {
		return err
	}
	return g.gs.c.Delete(ctx, g.path())
}

func (g *Group) objects(ctx context.Context, rel string, lo *graph.ListOptions) iter.Seq2[*directory.Object, error] {
	if err := g.check(); err != nil {
		return func(yield func(*directory.Object, error) bool) { yield(nil, err) }
	}
	return directory.List[directory.Object](ctx, g.gs.c, g.path(rel), lo)
}

// Members lists the direct members: users, groups, devices, service principals,
// contacts.
func (g *Group) Members(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*directory.Object, error] {
	return g.objects(ctx, "members", lo)
}

// TransitiveMembers lists the members and the members of nested groups (the nested
// groups too), each once, following every page.
func (g *Group) TransitiveMembers(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*directory.Object, error] {
	return g.objects(ctx, "transitiveMembers", lo)
}

// Owners lists the owners.
func (g *Group) Owners(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*directory.Object, error] {
	return g.objects(ctx, "owners", lo)
}

// MemberOf lists the groups this group is a direct member of.
func (g *Group) MemberOf(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*directory.Object, error] {
	return g.objects(ctx, "memberOf", lo)
}

// TransitiveMemberOf lists the groups this group is a member of, directly or not.
func (g *Group) TransitiveMemberOf(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*directory.Object, error] {
	return g.objects(ctx, "transitiveMemberOf", lo)
}

// MemberCount counts the members matching q (nil: all); with transitive, the
// members of nested groups too.
func (g *Group) MemberCount(ctx context.Context, transitive bool, q *odata.Query) (int64, error) {
	if err := g.check(); err != nil {
		return 0, err
	}
	rel := "members"
	if transitive {
		rel = "transitiveMembers"
	}
	return directory.Count(ctx, g.gs.c, g.path(rel), q)
}

// AddMember adds a user, group, device or service principal (by id) as a member.
// When it already is one the error matches ErrAlreadyMember and graph.ErrBadRequest.
func (g *Group) AddMember(ctx context.Context, objectID string) error {
	return g.addRef(ctx, "members", objectID)
}

// RemoveMember removes a member (by id); graph.ErrNotFound when it is not one.
func (g *Group) RemoveMember(ctx context.Context, objectID string) error {
	return g.removeRef(ctx, "members", objectID)
}

// AddOwner adds a user (or service principal) as an owner.
func (g *Group) AddOwner(ctx context.Context, objectID string) error {
	return g.addRef(ctx, "owners", objectID)
}

// RemoveOwner removes an owner. Graph refuses to remove the last owner of a
// Microsoft 365 group when a user removes it.
func (g *Group) RemoveOwner(ctx context.Context, objectID string) error {
	return g.removeRef(ctx, "owners", objectID)
}

func (g *Group) addRef(ctx context.Context, rel, id string) error {
	if err := g.check(); err != nil {
		return err
	}
	if id == "" {
		return ErrNoID
	}
	err := g.gs.c.Post(ctx, g.path(rel, "$ref"), map[string]string{"@odata.id": g.gs.ref(id)}, nil)
	var ge *graph.Error
	if errors.As(err, &ge) && ge.StatusCode == 400 && strings.Contains(ge.Message, "already exist") {
		return &alreadyError{err: ge}
	}
	return err
}

func (g *Group) removeRef(ctx context.Context, rel, id string) error {
	if err := g.check(); err != nil {
		return err
	}
	if id == "" {
		return ErrNoID
	}
	return g.gs.c.Delete(ctx, g.path(rel, id, "$ref"))
}

// alreadyError is Graph's 400 for an existing member or owner, matching both
// ErrAlreadyMember and the *graph.Error.
type alreadyError struct{ err *graph.Error }

func (e *alreadyError) Error() string { return e.err.Error() }
func (e *alreadyError) Unwrap() []error {
	return []error{ErrAlreadyMember, e.err}
}
