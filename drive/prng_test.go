package drive_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
)

// prngData is a file of any size made from a seeded PRNG, served by ReadAt without holding
// it: blocks of blockSize bytes, each one of a few precomputed random blocks chosen by a
// hash of the block index and the seed, so that a shifted or repeated range is detected.
type prngData struct {
	size   int64
	seed   uint64
	blocks [][]byte
}

const prngBlock = 1<<20 + 7 // not a multiple of any chunk or range size

func newPRNGData(seed uint64, size int64) *prngData {
	r := rand.New(rand.NewPCG(seed, 17))
	d := &prngData{size: size, seed: seed}
	for range 13 {
		b := make([]byte, prngBlock)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		d.blocks = append(d.blocks, b)
	}
	return d
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (d *prngData) block(i int64) []byte {
	return d.blocks[splitmix(uint64(i)^d.seed)%uint64(len(d.blocks))]
}

// ReadAt implements io.ReaderAt.
func (d *prngData) ReadAt(p []byte, off int64) (int, error) {
	if off >= d.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < d.size {
		bi, bo := off/prngBlock, off%prngBlock
		m := copy(p[n:], d.block(bi)[bo:])
		if rest := d.size - off; int64(m) > rest {
			m = int(rest)
		}
		n += m
		off += int64(m)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// compareWriter checks that what is written equals the data, in order, without storing it.
type compareWriter struct {
	d   *prngData
	off int64
	buf []byte
	bad int64 // first differing offset + 1
}

func (w *compareWriter) Write(p []byte) (int, error) {
	if len(w.buf) < len(p) {
		w.buf = make([]byte, len(p))
	}
	n, _ := w.d.ReadAt(w.buf[:len(p)], w.off)
	if w.bad == 0 && (n < len(p) || !bytes.Equal(w.buf[:n], p)) {
		for i := range n {
			if w.buf[i] != p[i] {
				w.bad = w.off + int64(i) + 1
				break
			}
		}
		if n < len(p) && w.bad == 0 {
			w.bad = w.off + int64(n) + 1
		}
	}
	w.off += int64(len(p))
	return len(p), nil
}

// compareWriterAt checks ranges written at any offset against the data, counting bytes.
type compareWriterAt struct {
	d       *prngData
	mu      sync.Mutex
	written int64
	bad     int64 // first differing offset + 1
}

func (w *compareWriterAt) WriteAt(p []byte, off int64) (int, error) {
	want := make([]byte, len(p))
	n, _ := w.d.ReadAt(want, off)
	w.mu.Lock()
	defer w.mu.Unlock()
	if (n < len(p) || !bytes.Equal(want, p)) && w.bad == 0 {
		w.bad = off + 1
	}
	w.written += int64(len(p))
	return len(p), nil
}

// Write makes it an io.Writer; parallel downloads use WriteAt only.
func (w *compareWriterAt) Write(p []byte) (int, error) {
	return 0, errors.New("compareWriterAt: sequential Write")
}
