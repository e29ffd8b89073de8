package emulator

import (
	"sync"
	"time"
)

// TeamsThrottling configures the Teams service limits
// (concepts/throttling-limits.md, Microsoft Teams service limits). Each
// limit is a count per one-second window unless named otherwise; 0 means
// no limit. Limits count per app (client id) per tenant, the channel
// limits per app per channel.
type TeamsThrottling struct {
	// Enabled switches the limits on.
	Enabled bool
	// ChannelMessageReads limits GETs of channel messages and replies
	// (Graph: 20 per second per app per tenant).
	ChannelMessageReads int
	// ChannelMessageSends limits POSTs of channel messages and replies
	// (Graph: 50 per second per app per tenant).
	ChannelMessageSends int
	// OtherReads limits the other Teams GETs: teams, channels, chats,
	// chat messages, apps (Graph: 30 per second per app per tenant).
	OtherReads int
	// PerChannel limits all requests of one app to one team's channel
	// (Graph: 4 per second per app per team and channel).
	PerChannel int
	// MessagesPerChannelPerDay limits the messages one app posts to one
	// channel in 24 hours (Graph: 3,000).
	MessagesPerChannelPerDay int
	// Window is the window of the per-second limits; default one second.
	// Tests may widen it so that a fake clock standing still hits them.
	Window time.Duration
	// RetryAfter is the wait announced in Retry-After; zero means the
	// time until the window admits a request again (at least 1s).
	RetryAfter time.Duration
}

// TeamsLimits returns Microsoft Teams' documented limits.
func TeamsLimits() TeamsThrottling {
	return TeamsThrottling{
		Enabled: true, ChannelMessageReads: 20, ChannelMessageSends: 50, OtherReads: 30,
		PerChannel: 4, MessagesPerChannelPerDay: 3000,
	}
}

// teamsOp classifies a Teams request for the limits.
type teamsOp int

const (
	teamsOther teamsOp = iota
	teamsChannelRead
	teamsChannelSend
	teamsWrite // writes other than channel messages: not limited here
)

// teamsThrottler keeps the request times of each limit key.
type teamsThrottler struct {
	mu    sync.Mutex
	times map[string][]time.Time
}

// admit counts a request against cfg's limits; it returns the wait and
// false when one is exceeded (the request is then not counted).
func (tt *teamsThrottler) admit(cfg TeamsThrottling, now time.Time, app string, op teamsOp, team, channel string) (time.Duration, bool) {
	if !cfg.Enabled {
		return 0, true
	}
	window := cfg.Window
	if window <= 0 {
		window = time.Second
	}
	type check struct {
		key    string
		limit  int
		window time.Duration
	}
	var checks []check
	switch op {
	case teamsChannelRead:
		checks = append(checks, check{"read/" + app, cfg.ChannelMessageReads, window})
	case teamsChannelSend:
		checks = append(checks, check{"send/" + app, cfg.ChannelMessageSends, window})
		if channel != "" {
			checks = append(checks, check{"day/" + app + "/" + lower(team) + "/" + channel, cfg.MessagesPerChannelPerDay, 24 * time.Hour})
		}
	case teamsOther:
		checks = append(checks, check{"get/" + app, cfg.OtherReads, window})
	}
	if channel != "" {
		checks = append(checks, check{"chan/" + app + "/" + lower(team) + "/" + channel, cfg.PerChannel, window})
	}
	tt.mu.Lock()
	defer tt.mu.Unlock()
	if tt.times == nil {
		tt.times = map[string][]time.Time{}
	}
	for _, ck := range checks {
		if ck.limit <= 0 {
			continue
		}
		ts := tt.times[ck.key]
		cut := 0
		for cut < len(ts) && !ts[cut].After(now.Add(-ck.window)) {
			cut++
		}
		ts = ts[cut:]
		tt.times[ck.key] = ts
		if len(ts) >= ck.limit {
			wait := cfg.RetryAfter
			if wait <= 0 {
				wait = ts[0].Add(ck.window).Sub(now)
				if wait < time.Second {
					wait = time.Second
				}
			}
			return wait, false
		}
	}
	for _, ck := range checks {
		if ck.limit > 0 {
			tt.times[ck.key] = append(tt.times[ck.key], now)
		}
	}
	return 0, true
}

// teamsLimited wraps a Teams handler with the service limits.
func (s *Server) teamsLimited(op teamsOp, h func(c *call)) func(c *call) {
	return func(c *call) {
		cfg := s.teamsThrottling()
		if cfg.Enabled && op != teamsWrite {
			wait, ok := s.teams.throttle.admit(cfg, c.now, c.claims.ClientID, op, c.params["team"], c.params["channel"])
			if !ok {
				c.writeError(c.throttled(wait, RetryAfterSeconds, "Requests to Teams are throttled: the application is over a Teams service limit."))
				return
			}
		}
		h(c)
	}
}

// SetTeamsThrottling replaces the Teams limits (see TeamsThrottling) and
// forgets the requests counted so far.
func (s *Server) SetTeamsThrottling(t TeamsThrottling) {
	s.teams.mu.Lock()
	s.teams.limits = &t
	s.teams.mu.Unlock()
	s.teams.throttle.mu.Lock()
	s.teams.throttle.times = nil
	s.teams.throttle.mu.Unlock()
}

func (s *Server) teamsThrottling() TeamsThrottling {
	s.teams.mu.Lock()
	defer s.teams.mu.Unlock()
	if s.teams.limits != nil {
		return *s.teams.limits
	}
	return s.opts.TeamsThrottling
}
