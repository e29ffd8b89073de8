package quickxor

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

// Published test vectors (input and sum, both base64).
var vectors = []struct{ in, want string }{
	{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="},
	{"Sg==", "SgAAAAAAAAAAAAAAAQAAAAAAAAA="},
	{"tbQ=", "taAFAAAAAAAAAAAAAgAAAAAAAAA="},
	{"0pZP", "0rDEEwAAAAAAAAAAAwAAAAAAAAA="},
	{"jRRDVA==", "jaDAEKgAAAAAAAAABAAAAAAAAAA="},
	{"eAV52qE=", "eChAHrQRCgAAAAAABQAAAAAAAAA="},
	{"luBZlaT6", "lgBHFipBCn0AAAAABgAAAAAAAAA="},
	{"qaApEj66lw==", "qQBFCiTgA11cAgAABwAAAAAAAAA="},
	{"/aNzzCFPS/A=", "/RjFHJgRgicsAR4ACAAAAAAAAAA="},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		in, err := base64.StdEncoding.DecodeString(v.in)
		if err != nil {
			t.Fatal(err)
		}
		h := New()
		h.Write(in)
		if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != v.want {
			t.Errorf("QuickXorHash(%q) = %s, want %s", v.in, got, v.want)
		}
	}
}

// reference is a direct bit-by-bit statement of the algorithm.
func reference(data []byte) []byte {
	var reg [Size * 8]bool
	for k, b := range data {
		off := (k * shift) % width
		for j := range 8 {
			if b&(1<<j) != 0 {
				p := (off + j) % width
				reg[p] = !reg[p]
			}
		}
	}
	out := make([]byte, Size)
	for i, set := range reg {
		if set {
			out[i/8] |= 1 << (i % 8)
		}
	}
	n := uint64(len(data))
	for i := range 8 {
		out[Size-8+i] ^= byte(n >> (8 * i))
	}
	return out
}

func TestMatchesReferenceAcrossSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 19, 20, 159, 160, 161, 319, 320, 1000, 4097} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		want := reference(data)
		if got := Sum(data); !bytes.Equal(got[:], want) {
			t.Fatalf("n=%d: Sum = %x, want %x", n, got, want)
		}
		// Arbitrary write boundaries must not change the result.
		h := New()
		for rest := data; len(rest) > 0; {
			k := 1 + r.IntN(200)
			k = min(k, len(rest))
			h.Write(rest[:k])
			rest = rest[k:]
		}
		if got := h.Sum(nil); !bytes.Equal(got, want) {
			t.Fatalf("n=%d split: %x, want %x", n, got, want)
		}
	}
}

func TestResetAndAppend(t *testing.T) {
	h := New()
	h.Write([]byte("hello"))
	h.Reset()
	if got := h.Sum([]byte("x")); len(got) != 1+Size || got[0] != 'x' || !bytes.Equal(got[1:], make([]byte, Size)) {
		t.Fatalf("after Reset: %x", got)
	}
	if h.Size() != Size || h.BlockSize() != BlockSize {
		t.Fatal("sizes")
	}
}

func BenchmarkWrite(b *testing.B) {
	buf := make([]byte, 1<<20)
	h := New()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		h.Write(buf)
	}
}
