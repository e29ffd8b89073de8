package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// registerSubscriptions adds the /subscriptions routes. Any signed-in
// caller may use them; creating a subscription checks the permission the
// watched resource needs.
func (s *Server) registerSubscriptions(rt *router) {
	rt.add(http.MethodGet, "subscriptions", nil, false, s.subscriptionList)
	rt.add(http.MethodPost, "subscriptions", nil, false, s.subscriptionCreate)
	rt.add(http.MethodGet, "subscriptions/{subscription}", nil, false, s.subscriptionGet)
	rt.add(http.MethodPatch, "subscriptions/{subscription}", nil, false, s.subscriptionPatch)
	rt.add(http.MethodDelete, "subscriptions/{subscription}", nil, false, s.subscriptionDelete)
	rt.add(http.MethodPost, "subscriptions/{subscription}/reauthorize", nil, false, s.subscriptionReauthorize)
}

// subscriptionInput is the body of POST and PATCH /subscriptions.
type subscriptionInput struct {
	ChangeType                *string `json:"changeType"`
	NotificationURL           *string `json:"notificationUrl"`
	LifecycleNotificationURL  *string `json:"lifecycleNotificationUrl"`
	Resource                  *string `json:"resource"`
	ExpirationDateTime        *string `json:"expirationDateTime"`
	ClientState               *string `json:"clientState"`
	IncludeResourceData       *bool   `json:"includeResourceData"`
	EncryptionCertificate     *string `json:"encryptionCertificate"`
	EncryptionCertificateID   *string `json:"encryptionCertificateId"`
	LatestSupportedTLSVersion *string `json:"latestSupportedTlsVersion"`
	NotificationQueryOptions  *string `json:"notificationQueryOptions"`
	NotificationContentType   *string `json:"notificationContentType"`
}

func errSubscriptionPayload() *graphError {
	return errorf(http.StatusBadRequest, "InvalidRequest", "Could not process subscription creation payload. Are all property names spelled and camelCased properly? "+
		"Also are the dateTimeOffest properties in the following format yyyy-MM-ddTHH:mm:ss.fffffffZ")
}

func errSubscriptionNotFound() *graphError {
	return errorf(http.StatusNotFound, "ResourceNotFound", "The object was not found.")
}

func readSubscriptionInput(c *call) (subscriptionInput, *graphError) {
	var in subscriptionInput
	data, gerr := readBody(c, 1<<20)
	if gerr != nil {
		return in, gerr
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return in, errSubscriptionPayload()
	}
	return in, nil
}

func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// parseChangeTypes checks a comma-separated changeType.
func parseChangeTypes(v string, kind resourceKind) (map[string]bool, *graphError) {
	out := map[string]bool{}
	for _, t := range strings.Split(v, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		switch t {
		case "created", "updated", "deleted":
			if kind.onlyUpdated() && t != "updated" {
				return nil, errorf(http.StatusBadRequest, "InvalidRequest", "The changeType '"+t+"' is not supported for this resource: only 'updated' is.")
			}
			out[t] = true
		default:
			return nil, errorf(http.StatusBadRequest, "InvalidRequest", "'"+v+"' is not a valid changeType: use created, updated or deleted, comma-separated.")
		}
	}
	return out, nil
}

// checkExpiration checks an expirationDateTime against the resource's maximum.
func checkExpiration(v string, kind resourceKind, now time.Time) (time.Time, *graphError) {
	if v == "" {
		return time.Time{}, errorf(http.StatusBadRequest, "InvalidRequest", "expirationDateTime is required.")
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, errSubscriptionPayload()
	}
	if !t.After(now) {
		return time.Time{}, errorf(http.StatusBadRequest, "InvalidRequest", "Subscription expiration can only be in the future.")
	}
	maxMin := kind.maxMinutes()
	if t.Sub(now) > time.Duration(maxMin)*time.Minute {
		return time.Time{}, errorf(http.StatusBadRequest, "InvalidRequest", "Subscription expiration can only be "+strconv.Itoa(maxMin)+" minutes in the future.")
	}
	return t.UTC(), nil
}

// checkNotificationURL checks a notification URL: https as Graph requires,
// or http on a loopback host, which the emulator also allows.
func checkNotificationURL(name, v string) *graphError {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return errorf(http.StatusBadRequest, "InvalidRequest", "The "+name+" '"+v+"' is not a valid absolute URL.")
	}
	if u.Scheme == "http" && !loopbackHost(u.Hostname()) {
		return errorf(http.StatusBadRequest, "InvalidRequest", "The "+name+" must use https.")
	}
	return nil
}

func (s *Server) subscriptionCreate(c *call) {
	in, gerr := readSubscriptionInput(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if in.Resource == nil || in.NotificationURL == nil || in.ChangeType == nil || in.ExpirationDateTime == nil {
		c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "changeType, notificationUrl, resource and expirationDateTime are required."))
		return
	}
	pr, gerr := s.parseSubscriptionResource(c, *in.Resource)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if !c.has(pr.perm) {
		c.writeError(errorf(http.StatusForbidden, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: The caller lacks the permission the resource needs: one of "+
			strings.Join(permList(c, pr.perm), ", ")+".]"))
		return
	}
	types, gerr := parseChangeTypes(*in.ChangeType, pr.kind)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if gerr := checkNotificationURL("notificationUrl", *in.NotificationURL); gerr != nil {
		c.writeError(gerr)
		return
	}
	lifecycle := strOr(in.LifecycleNotificationURL)
	if lifecycle != "" {
		if gerr := checkNotificationURL("lifecycleNotificationUrl", lifecycle); gerr != nil {
			c.writeError(gerr)
			return
		}
	}
	exp, gerr := checkExpiration(*in.ExpirationDateTime, pr.kind, c.now)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if pr.kind.teams() && lifecycle == "" && exp.Sub(c.now) > time.Hour {
		c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "lifecycleNotificationUrl is required for this resource when expirationDateTime is more than 1 hour from now."))
		return
	}
	if cs := strOr(in.ClientState); len(cs) > 128 {
		c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "clientState can be at most 128 characters long."))
		return
	}
	var rich *richKey
	if in.IncludeResourceData != nil && *in.IncludeResourceData {
		if strOr(in.EncryptionCertificate) == "" {
			c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "An encryptionCertificate is required when includeResourceData is true."))
			return
		}
		if strOr(in.EncryptionCertificateID) == "" {
			c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "An encryptionCertificateId is required when includeResourceData is true."))
			return
		}
		if !pr.kind.supportsResourceData() {
			c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "includeResourceData is not supported for the resource '"+*in.Resource+
				"' by the emulator (Teams chat and channel messages and presence only); subscribe without it and read the changed item."))
			return
		}
		if rich, gerr = parseEncryptionCertificate(*in.EncryptionCertificate); gerr != nil {
			c.writeError(gerr)
			return
		}
	}
	switch strOr(in.NotificationContentType) {
	case "", "application/json":
	default:
		c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "notificationContentType must be application/json."))
		return
	}
	tls := strOr(in.LatestSupportedTLSVersion)
	switch tls {
	case "":
		tls = "v1_2"
	case "v1_0", "v1_1", "v1_2", "v1_3":
	default:
		c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "'"+tls+"' is not a valid latestSupportedTlsVersion: use v1_0, v1_1, v1_2 or v1_3."))
		return
	}
	if gerr := s.validateEndpoint(c, *in.NotificationURL); gerr != nil {
		c.writeError(gerr)
		return
	}
	if lifecycle != "" {
		if gerr := s.validateEndpoint(c, lifecycle); gerr != nil {
			c.writeError(gerr)
			return
		}
	}
	creator := c.claims.ObjectID
	if c.claims.AppOnly {
		creator = c.claims.ClientID
	}
	sub := &subscription{
		ID: newUUID(), Resource: *in.Resource, ChangeType: *in.ChangeType, changeTypes: types,
		NotificationURL: *in.NotificationURL, LifecycleURL: lifecycle, Expiration: exp,
		ClientState: strOr(in.ClientState), ApplicationID: c.claims.ClientID, CreatorID: creator,
		TLSVersion: tls, EncryptionCertificateID: strOr(in.EncryptionCertificateID),
		NotificationQueryOptions: strOr(in.NotificationQueryOptions),
		NotificationContentType:  strOr(in.NotificationContentType),
		topics:                   pr.topics, kind: pr.kind,
		IncludeResourceData: rich != nil, rich: rich,
	}
	s.addSubscription(sub)
	body := sub.json("")
	body["@odata.context"] = c.base() + "/$metadata#subscriptions/$entity"
	c.writeValue(http.StatusCreated, body)
}

// permList names the entries of a permission for the caller's token kind.
func permList(c *call, p *permission) []string {
	if c.claims.AppOnly {
		return p.app
	}
	return p.delegated
}

// visibleSubscription returns the route's subscription if the caller's app
// (and, delegated, user) created it.
func (s *Server) visibleSubscription(c *call) (*subscription, *graphError) {
	s.expireSubscriptions()
	st := &s.subs
	st.mu.Lock()
	defer st.mu.Unlock()
	sub, ok := st.subs[c.params["subscription"]]
	if !ok || !s.ownsSubscription(c, sub) {
		return nil, errSubscriptionNotFound()
	}
	return sub, nil
}

func (s *Server) ownsSubscription(c *call, sub *subscription) bool {
	if sub.ApplicationID != c.claims.ClientID {
		return false
	}
	return c.claims.AppOnly || sub.CreatorID == c.claims.ObjectID
}

func (s *Server) subscriptionGet(c *call) {
	sub, gerr := s.visibleSubscription(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.subs.mu.Lock()
	body := sub.json("")
	s.subs.mu.Unlock()
	body["@odata.context"] = c.base() + "/$metadata#subscriptions/$entity"
	c.writeValue(http.StatusOK, body)
}

// subscriptionPageToken is the state of a subscriptions $skiptoken.
type subscriptionPageToken struct {
	Offset int `json:"o"`
	Top    int `json:"t"`
}

func (s *Server) subscriptionList(c *call) {
	s.expireSubscriptions()
	q := c.r.URL.Query()
	top := 100
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			c.writeError(errBadRequest("Invalid value '" + v + "' for $top."))
			return
		}
		top = min(n, 1000)
	}
	offset := 0
	if tok := q.Get("$skiptoken"); tok != "" {
		var pt subscriptionPageToken
		if !decodeStateToken("sub1.", tok, &pt) || pt.Offset < 0 {
			c.writeError(errBadRequest("The $skiptoken is not valid."))
			return
		}
		offset, top = pt.Offset, max(pt.Top, 1)
	}
	st := &s.subs
	st.mu.Lock()
	var mine []*subscription
	for _, sub := range st.subs {
		if s.ownsSubscription(c, sub) {
			mine = append(mine, sub)
		}
	}
	slices.SortFunc(mine, func(a, b *subscription) int { return strings.Compare(a.ID, b.ID) })
	value := []any{}
	for i := offset; i < len(mine) && i < offset+top; i++ {
		value = append(value, mine[i].json(""))
	}
	more := offset+top < len(mine)
	st.mu.Unlock()
	body := map[string]any{"@odata.context": c.base() + "/$metadata#subscriptions", "value": value}
	if more {
		next := c.base() + "/subscriptions?$skiptoken=" + url.QueryEscape(encodeStateToken("sub1.", subscriptionPageToken{Offset: offset + top, Top: top}))
		body["@odata.nextLink"] = next
	}
	c.writeValue(http.StatusOK, body)
}

func (s *Server) subscriptionPatch(c *call) {
	sub, gerr := s.visibleSubscription(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, gerr := readSubscriptionInput(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if in.Resource != nil || in.ChangeType != nil || in.ClientState != nil || in.LifecycleNotificationURL != nil || in.IncludeResourceData != nil {
		c.writeError(errorf(http.StatusBadRequest, "InvalidRequest", "Only expirationDateTime and notificationUrl can be updated: create a new subscription to change anything else."))
		return
	}
	var exp time.Time
	if in.ExpirationDateTime != nil {
		if exp, gerr = checkExpiration(*in.ExpirationDateTime, sub.kind, c.now); gerr != nil {
			c.writeError(gerr)
			return
		}
	}
	if in.NotificationURL != nil {
		if gerr := checkNotificationURL("notificationUrl", *in.NotificationURL); gerr != nil {
			c.writeError(gerr)
			return
		}
		if gerr := s.validateEndpoint(c, *in.NotificationURL); gerr != nil {
			c.writeError(gerr)
			return
		}
	}
	st := &s.subs
	st.mu.Lock()
	if _, ok := st.subs[sub.ID]; !ok {
		st.mu.Unlock()
		c.writeError(errSubscriptionNotFound())
		return
	}
	if !exp.IsZero() {
		sub.Expiration = exp
		sub.reauthSent = false
	}
	if in.NotificationURL != nil {
		sub.NotificationURL = *in.NotificationURL
		if b := st.boxes[sub.ID+"/n"]; b != nil {
			b.url = sub.NotificationURL
		}
	}
	body := sub.json("")
	st.mu.Unlock()
	body["@odata.context"] = c.base() + "/$metadata#subscriptions/$entity"
	c.writeValue(http.StatusOK, body)
}

func (s *Server) subscriptionDelete(c *call) {
	sub, gerr := s.visibleSubscription(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.removeSubscription(sub.ID, false)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) subscriptionReauthorize(c *call) {
	sub, gerr := s.visibleSubscription(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	// Reauthorizing acknowledges a reauthorizationRequired notification; it
	// does not extend the subscription (PATCH does).
	s.subs.mu.Lock()
	sub.reauthSent = true
	s.subs.mu.Unlock()
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}
