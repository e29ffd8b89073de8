package teams

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// Teams is a handle on a user's Microsoft Teams: the teams they joined, their chats, apps
// and presence. It does no I/O until a call, is cheap to copy and safe for concurrent use.
type Teams struct {
	c   *graph.Client
	res graph.Resource
}

// New returns a handle on the Teams of res. An empty res means graph.Me.
func New(c *graph.Client, res graph.Resource) *Teams {
	if res == "" {
		res = graph.Me
	}
	return &Teams{c: c, res: res}
}

// Resource returns the user the handle works for, e.g. "me".
func (t *Teams) Resource() graph.Resource { return t.res }

// Client returns the client the handle calls Graph with.
func (t *Teams) Client() *graph.Client { return t.c }

func (t *Teams) ok() bool { return t != nil && t.c != nil }

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// list lists path with every page, binding each item.
func list[T any](ctx context.Context, t *Teams, path string, lo *graph.ListOptions, bind func(*T), opts ...graph.CallOption) iter.Seq2[*T, error] {
	if !t.ok() {
		return errSeq[T](ErrUnbound)
	}
	return func(yield func(*T, error) bool) {
		for v, err := range graph.List[T](ctx, t.c, path, lo, opts...) {
			if v != nil && bind != nil {
				bind(v)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

// withExpand returns lo with $expand=name added to its query.
func withExpand(lo *graph.ListOptions, name string) *graph.ListOptions {
	out := graph.ListOptions{}
	if lo != nil {
		out = *lo
	}
	q := odata.New()
	if out.Query != nil {
		q = out.Query.Clone()
	}
	out.Query = q.Expand(name)
	return &out
}

// JoinedTeams lists the teams the user is a member of (GET /{res}/joinedTeams), every
// page. A nil lo means the service's defaults.
func (t *Teams) JoinedTeams(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Team, error] {
	return list(ctx, t, t.res.Path("joinedTeams"), lo, func(tm *Team) { tm.t = t }, opts...)
}

// TeamByName returns the joined team whose display name is name, compared exactly but
// ignoring case. No match gives an error matching ErrNotFound (and graph.ErrNotFound);
// several give ErrAmbiguous naming their ids.
func (t *Teams) TeamByName(ctx context.Context, name string) (*Team, error) {
	if name == "" {
		return nil, ErrEmptyID
	}
	return byName(t.JoinedTeams(ctx, nil), name, "team", func(tm *Team) (string, string) { return tm.DisplayName, tm.ID })
}

// byName picks the single item of seq named name.
func byName[T any](seq iter.Seq2[*T, error], name, kind string, key func(*T) (name, id string)) (*T, error) {
	var found []*T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		if n, _ := key(v); strings.EqualFold(n, name) {
			found = append(found, v)
		}
	}
	switch len(found) {
	case 0:
		return nil, &notFoundError{msg: fmt.Sprintf("teams: no %s named %q", kind, name)}
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, v := range found {
		_, ids[i] = key(v)
	}
	return nil, fmt.Errorf("%w: %q is the name of %d %ss (ids %s)", ErrAmbiguous, name, len(found), kind, strings.Join(ids, ", "))
}

// Team returns a handle on the team with the id (a Team with only ID set). It does no I/O;
// call Get to read the team.
func (t *Teams) Team(id string) *Team { return &Team{ID: id, t: t} }

// GetTeam reads a team (GET /teams/{id}).
func (t *Teams) GetTeam(ctx context.Context, id string, opts ...graph.CallOption) (*Team, error) {
	tm := t.Team(id)
	if err := tm.Get(ctx, opts...); err != nil {
		return nil, err
	}
	return tm, nil
}

func (tm *Team) bound() error {
	switch {
	case tm == nil || !tm.t.ok():
		return ErrUnbound
	case tm.ID == "":
		return ErrEmptyID
	}
	return nil
}

func (tm *Team) path(segments ...string) string {
	return graph.Resource("").Path(append([]string{"teams", tm.ID}, segments...)...)
}

// Get reads the team (GET /teams/{id}) into tm.
func (tm *Team) Get(ctx context.Context, opts ...graph.CallOption) error {
	if err := tm.bound(); err != nil {
		return err
	}
	var got Team
	if err := tm.t.c.Get(ctx, tm.path(), &got, opts...); err != nil {
		return err
	}
	got.t = tm.t
	*tm = got
	return nil
}

// Channels lists the team's channels (GET /teams/{id}/channels), every page.
func (tm *Team) Channels(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Channel, error] {
	if err := tm.bound(); err != nil {
		return errSeq[Channel](err)
	}
	return list(ctx, tm.t, tm.path("channels"), lo, func(ch *Channel) { ch.t, ch.teamID = tm.t, tm.ID }, opts...)
}

// Channel returns a handle on the team's channel with the id. It does no I/O.
func (tm *Team) Channel(id string) *Channel {
	var t *Teams
	teamID := ""
	if tm != nil {
		t, teamID = tm.t, tm.ID
	}
	return &Channel{ID: id, t: t, teamID: teamID}
}

// GetChannel reads a channel of the team (GET /teams/{id}/channels/{channel-id}).
func (tm *Team) GetChannel(ctx context.Context, id string, opts ...graph.CallOption) (*Channel, error) {
	if err := tm.bound(); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	return tm.getChannel(ctx, tm.path("channels", id), opts...)
}

// PrimaryChannel reads the team's General channel (GET /teams/{id}/primaryChannel).
func (tm *Team) PrimaryChannel(ctx context.Context, opts ...graph.CallOption) (*Channel, error) {
	if err := tm.bound(); err != nil {
		return nil, err
	}
	return tm.getChannel(ctx, tm.path("primaryChannel"), opts...)
}

func (tm *Team) getChannel(ctx context.Context, path string, opts ...graph.CallOption) (*Channel, error) {
	var ch Channel
	if err := tm.t.c.Get(ctx, path, &ch, opts...); err != nil {
		return nil, err
	}
	ch.t, ch.teamID = tm.t, tm.ID
	return &ch, nil
}

// ChannelByName returns the channel whose display name is name, compared exactly but
// ignoring case, reading every page of channels. No match gives an error matching
// ErrNotFound (and graph.ErrNotFound); several give ErrAmbiguous.
func (tm *Team) ChannelByName(ctx context.Context, name string) (*Channel, error) {
	if name == "" {
		return nil, ErrEmptyID
	}
	return byName(tm.Channels(ctx, nil), name, "channel", func(ch *Channel) (string, string) { return ch.DisplayName, ch.ID })
}

// CreateChannel creates a standard channel (POST /teams/{id}/channels). Channel names are
// unique in a team: a taken name fails with graph.ErrConflict.
func (tm *Team) CreateChannel(ctx context.Context, name, description string, opts ...graph.CallOption) (*Channel, error) {
	if err := tm.bound(); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, ErrEmptyID
	}
	in := map[string]any{"displayName": name, "membershipType": Standard}
	if description != "" {
		in["description"] = description
	}
	var ch Channel
	if err := tm.t.c.Post(ctx, tm.path("channels"), in, &ch, opts...); err != nil {
		return nil, err
	}
	ch.t, ch.teamID = tm.t, tm.ID
	return &ch, nil
}

// Members lists the team's members (GET /teams/{id}/members), every page.
func (tm *Team) Members(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Member, error] {
	if err := tm.bound(); err != nil {
		return errSeq[Member](err)
	}
	return list[Member](ctx, tm.t, tm.path("members"), lo, nil, opts...)
}

// InstalledApps lists the apps installed in the team with their definitions (GET
// /teams/{id}/installedApps?$expand=teamsAppDefinition), every page.
func (tm *Team) InstalledApps(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*AppInstallation, error] {
	if err := tm.bound(); err != nil {
		return errSeq[AppInstallation](err)
	}
	return list[AppInstallation](ctx, tm.t, tm.path("installedApps"), withExpand(lo, "teamsAppDefinition"), nil, opts...)
}

// InstalledApps lists the apps installed for the user with their definitions (GET
// /{res}/teamwork/installedApps?$expand=teamsAppDefinition), every page.
func (t *Teams) InstalledApps(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*AppInstallation, error] {
	return list[AppInstallation](ctx, t, t.res.Path("teamwork", "installedApps"), withExpand(lo, "teamsAppDefinition"), nil, opts...)
}

// Team returns a handle on the channel's team. It does no I/O.
func (ch *Channel) Team() *Team {
	if ch == nil {
		return &Team{}
	}
	return &Team{ID: ch.teamID, t: ch.t}
}

func (ch *Channel) bound() error {
	switch {
	case ch == nil || !ch.t.ok():
		return ErrUnbound
	case ch.ID == "" || ch.teamID == "":
		return ErrEmptyID
	}
	return nil
}

func (ch *Channel) path(segments ...string) string {
	return graph.Resource("").Path(append([]string{"teams", ch.teamID, "channels", ch.ID}, segments...)...)
}

// Messages lists the channel's root messages, newest first (GET
// /teams/{id}/channels/{id}/messages), every page. Graph pages them 20 at a time and takes
// a PageSize of at most 50.
func (ch *Channel) Messages(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Message, error] {
	if err := ch.bound(); err != nil {
		return errSeq[Message](err)
	}
	return list(ctx, ch.t, ch.path("messages"), lo, func(m *Message) { m.bindChannel(ch) }, opts...)
}

func (m *Message) bindChannel(ch *Channel) {
	m.t = ch.t
	if m.ReplyToID != "" {
		m.path = ch.path("messages", m.ReplyToID, "replies", m.ID)
	} else {
		m.path = ch.path("messages", m.ID)
	}
	for _, r := range m.Replies {
		r.bindChannel(ch)
	}
}

// Message reads a message of the channel (GET /teams/{id}/channels/{id}/messages/{id}).
func (ch *Channel) Message(ctx context.Context, id string, opts ...graph.CallOption) (*Message, error) {
	if err := ch.bound(); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	var m Message
	if err := ch.t.c.Get(ctx, ch.path("messages", id), &m, opts...); err != nil {
		return nil, err
	}
	m.bindChannel(ch)
	return &m, nil
}

// Send posts a message to the channel (POST /teams/{id}/channels/{id}/messages). Build it
// with Text, HTML or Compose (for mentions). Graph needs ChannelMessage.Send.
func (ch *Channel) Send(ctx context.Context, nm *NewMessage, opts ...graph.CallOption) (*Message, error) {
	if err := ch.bound(); err != nil {
		return nil, err
	}
	m, err := send(ctx, ch.t, ch.path("messages"), nm, opts...)
	if err != nil {
		return nil, err
	}
	m.bindChannel(ch)
	return m, nil
}

// SendText posts a plain-text message to the channel.
func (ch *Channel) SendText(ctx context.Context, text string, opts ...graph.CallOption) (*Message, error) {
	return ch.Send(ctx, Text(text), opts...)
}

func send(ctx context.Context, t *Teams, path string, nm *NewMessage, opts ...graph.CallOption) (*Message, error) {
	if nm == nil {
		return nil, ErrEmptyMessage
	}
	if err := nm.check(); err != nil {
		return nil, err
	}
	var m Message
	if err := t.c.Post(ctx, path, nm, &m, opts...); err != nil {
		return nil, err
	}
	return &m, nil
}

// MessagesResource is the Graph resource of the channel's messages, for a change
// notification subscription: "/teams/{team-id}/channels/{channel-id}/messages".
func (ch *Channel) MessagesResource() string {
	if ch == nil {
		return ""
	}
	return ch.path("messages")
}
