package emulator

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// encodeStateToken encodes the state a delta or skip token carries: a
// prefix naming the kind of token, then the state as base64url JSON. The
// tokens are opaque to clients, as Graph's are.
func encodeStateToken(prefix string, state any) string {
	b, _ := json.Marshal(state)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// decodeStateToken decodes a token made by encodeStateToken with the same
// prefix into state; false for anything else (a foreign or damaged token).
func decodeStateToken(prefix, token string, state any) bool {
	rest, ok := strings.CutPrefix(token, prefix)
	if !ok {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil && json.Unmarshal(b, state) == nil
}
