package emulator

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkSubscriptionPublishIdle is what every write pays for change
// notifications while nobody subscribes.
func BenchmarkSubscriptionPublishIdle(b *testing.B) {
	s := Start(b)
	ch := change{Topics: []string{"users/u/messages"}, Type: "created", Resource: "Users/u/Messages/m", ID: "m"}
	b.ReportAllocs()
	for b.Loop() {
		s.publish(ch)
	}
}

// BenchmarkSubscriptionDelivery publishes changes to one subscription and
// waits until a loopback receiver has accepted them all (batched POSTs).
func BenchmarkSubscriptionDelivery(b *testing.B) {
	s := Start(b)
	var got atomic.Int64
	var posts atomic.Int64
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("validationToken"); tok != "" {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, tok)
			return
		}
		body, _ := io.ReadAll(r.Body)
		posts.Add(1)
		got.Add(int64(countOf(body, `"subscriptionId"`)))
		w.WriteHeader(http.StatusAccepted)
	}))
	defer recv.Close()
	tok := tokenFor(b, s, s.DefaultUser().UPN, subScopes)
	if c := do(b, s, "POST", "/v1.0/subscriptions", tok, subBody("me/contacts", recv.URL, "created", s.Now().Add(time.Hour), "")); c.status != 201 {
		b.Fatalf("%d %s", c.status, c.body)
	}
	uid := s.DefaultUser().ID
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		for int64(n)-got.Load() >= maxOutbox/2 { // stay under the queue bound
			time.Sleep(time.Millisecond)
		}
		s.publish(change{Topics: []string{"users/" + uid + "/contacts"}, Type: "created", Resource: "Users/" + uid + "/Contacts/" + strconv.Itoa(n), ID: strconv.Itoa(n), ODataType: "#Microsoft.Graph.Contact"})
	}
	deadline := time.Now().Add(time.Minute)
	for got.Load() < int64(n) {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d notifications delivered", got.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
	b.ReportMetric(float64(n)/float64(posts.Load()), "notifications/POST")
}

func countOf(b []byte, sub string) int {
	n := 0
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == sub {
			n++
		}
	}
	return n
}
