package groups

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/o365go/o365/directory"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// Groups is a handle on the tenant's groups. Making one does no I/O; it is cheap to
// copy and safe for concurrent use.
type Groups struct {
	c *graph.Client
}

// New returns a Groups handle using c.
func New(c *graph.Client) *Groups { return &Groups{c: c} }

// ErrUnbound is returned by calls on a Group that was not read or made through a
// Groups handle.
var ErrUnbound = errors.New("groups: group is not bound to a Groups handle (read it with Groups.Get or make it with Groups.Group or NewGroup)")

// ErrNoID is returned by calls that need an id and got none.
var ErrNoID = errors.New("groups: no id")

// ErrAlreadyMember matches (errors.Is) the error of AddMember and AddOwner when the
// object already is one: Graph answers 400 "One or more added object references
// already exist".
var ErrAlreadyMember = errors.New("groups: already a member or owner")

// List lists the groups of the tenant (lo.Query: $filter, $search, $select,
// $orderby; advanced queries get their header and $count).
func (gs *Groups) List(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Group, error] {
	return gs.bindAll(directory.List[Group](ctx, gs.c, "/groups", lo))
}

// Count counts the groups matching q (nil: all groups).
func (gs *Groups) Count(ctx context.Context, q *odata.Query) (int64, error) {
	return directory.Count(ctx, gs.c, "/groups", q)
}

// Get gets a group by id; q may $select.
func (gs *Groups) Get(ctx context.Context, id string, q *odata.Query) (*Group, error) {
	if id == "" {
		return nil, ErrNoID
	}
	var g Group
	if err := gs.c.Get(ctx, graph.Group(id).Path(), &g, graph.Query(q)); err != nil {
		return nil, err
	}
	return g.bind(gs), nil
}

// ByMail gets the group with the e-mail address; graph.ErrNotFound when none has it.
func (gs *Groups) ByMail(ctx context.Context, mail string) (*Group, error) {
	q := odata.New().Filter(odata.Attr("mail").Eq(mail))
	for g, err := range gs.List(ctx, &graph.ListOptions{Query: q, Limit: 1}) {
		return g, err
	}
	return nil, fmt.Errorf("groups: no group has the mail address %q: %w", mail, graph.ErrNotFound)
}

// UserGroups lists the groups a user (id or user principal name) is a direct
// member of; with transitive, through nested groups too. Directory roles and other
// objects in the user's memberOf are skipped.
func (gs *Groups) UserGroups(ctx context.Context, userID string, transitive bool, lo *graph.ListOptions) iter.Seq2[*Group, error] {
	rel := "memberOf"
	if transitive {
		rel = "transitiveMemberOf"
	}
	return func(yield func(*Group, error) bool) {
		if userID == "" {
			yield(nil, ErrNoID)
			return
		}
		for o, err := range directory.List[directory.Object](ctx, gs.c, graph.User(userID).Path(rel), lo) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !o.IsGroup() {
				continue
			}
			g, err := gs.decode(o)
			if !yield(g, err) || err != nil {
				return
			}
		}
	}
}

// decode turns a directory object into a bound group.
func (gs *Groups) decode(o *directory.Object) (*Group, error) {
	var g Group
	if err := json.Unmarshal(o.Raw, &g); err != nil {
		return nil, err
	}
	return g.bind(gs), nil
}

// Group returns a handle-like group with only its id set, bound to gs, without I/O:
// its membership calls work at once; Save sends the fields set since.
func (gs *Groups) Group(id string) *Group {
	g := &Group{ID: id}
	return g.bind(gs)
}

// NewGroup returns an unsaved group bound to gs: set its fields and call Create.
// Graph requires DisplayName, MailNickname, MailEnabled and SecurityEnabled.
func (gs *Groups) NewGroup() *Group { return (&Group{}).bind(gs) }

// NewMicrosoft365Group returns an unsaved Microsoft 365 group (Unified, mail
// enabled, not security enabled, private unless changed).
func (gs *Groups) NewMicrosoft365Group(displayName, mailNickname string) *Group {
	g := gs.NewGroup()
	g.DisplayName, g.MailNickname = displayName, mailNickname
	g.GroupTypes = []string{GroupTypeUnified}
	g.MailEnabled = true
	g.Visibility = Private
	return g
}

// NewSecurityGroup returns an unsaved security group (not mail enabled).
func (gs *Groups) NewSecurityGroup(displayName, mailNickname string) *Group {
	g := gs.NewGroup()
	g.DisplayName, g.MailNickname = displayName, mailNickname
	g.SecurityEnabled = true
	return g
}

// Delete deletes a group by id (Microsoft 365 groups stay restorable for 30 days).
func (gs *Groups) Delete(ctx context.Context, id string) error {
	if id == "" {
		return ErrNoID
	}
	return gs.c.Delete(ctx, graph.Group(id).Path())
}

func (g *Group) bind(gs *Groups) *Group {
	g.gs = gs
	g.snapshot()
	return g
}

func (gs *Groups) bindAll(seq iter.Seq2[*Group, error]) iter.Seq2[*Group, error] {
	return func(yield func(*Group, error) bool) {
		for g, err := range seq {
			if g != nil {
				g.bind(gs)
			}
			if !yield(g, err) {
				return
			}
		}
	}
}
