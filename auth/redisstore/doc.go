// Package redisstore keeps auth tokens in Redis, so several processes or machines can share
// one signed-in identity (a web farm, a fleet of workers, a CLI on several hosts).
//
// A *Store implements auth.TokenStore and auth.RefreshLocker. Pass it as auth.Config.Store or
// with o365.WithTokenStore:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	store := redisstore.New(rdb, redisstore.WithPrefix("myapp:token:"))
//	acct, err := o365.NewAccount(creds, o365.WithTokenStore(store))
//
// Layout. Each token is one string key holding the auth.Token as JSON, under
// prefix + "{tenant:client}:tok:" + account; the accounts of a tenant and client are a hash at
// prefix + "{tenant:client}:accounts" (lower-cased account → account as saved), changed in the
// same MULTI/EXEC as the token, so Accounts never needs KEYS or SCAN. Key parts are lower-cased
// (stores compare keys case-insensitively) and query-escaped. The "{tenant:client}" hash tag
// puts all keys of one app registration in one Redis Cluster slot, which MULTI and the scripts
// need.
//
// Expiry. By default tokens never expire in Redis. WithTTL sets a policy, for example
// KeepUntilRefreshExpiry, which drops a token once its refresh token can no longer be used;
// Accounts prunes index entries whose token has expired.
//
// Refresh lock. LockRefresh takes a lease with SET NX, an expiry and a random value, polling
// with a growing, jittered interval while another holder has it, and releases it with a
// compare-and-delete script, so a holder whose lease expired never removes its successor's.
// The lease expires after the lock timeout (WithLockTimeout, default 30 s), so a process that
// crashes while refreshing blocks the others only that long. A Session takes this lock before
// refreshing, re-loads the token and refreshes only if it is still stale: however many
// processes find the token expired at once, one of them refreshes. The lease lives on one
// Redis primary (this is not Redlock): a failover may lose it, which costs at most a second
// refresh, since the identity platform keeps an already used refresh token valid.
//
// Errors name the key (tenant, client id, account) but never contain token contents.
package redisstore
