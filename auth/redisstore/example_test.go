package redisstore_test

import (
	"context"
	"log"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/auth/redisstore"
)

// Several instances of a service share one signed-in identity through Redis: whichever finds
// the access token stale first refreshes it, the others use its token. (Not run: it needs a
// Redis server.)
func Example() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer rdb.Close()

	store := redisstore.New(rdb,
		redisstore.WithPrefix("myapp:token:"),
		redisstore.WithTTL(redisstore.KeepUntilRefreshExpiry(0)),
		redisstore.WithLockTimeout(time.Minute),
	)
	app, err := auth.NewApp(auth.Config{
		ClientID: "11111111-2222-3333-4444-555555555555",
		Tenant:   "contoso.onmicrosoft.com",
		Store:    store, // or o365.WithTokenStore(store)
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	accounts, err := store.Accounts(ctx, "contoso.onmicrosoft.com", "11111111-2222-3333-4444-555555555555")
	if err != nil || len(accounts) == 0 {
		log.Fatal("nobody signed in yet: run the device code flow once on any instance")
	}
	session := app.Session(accounts[0])
	accessToken, err := session.AccessToken(ctx, false)
	if err != nil {
		log.Fatal(err)
	}
	_ = accessToken // use with graph.NewClient(session) instead of by hand
}
