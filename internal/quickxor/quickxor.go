package quickxor

import (
	"crypto/subtle"
	"encoding/binary"
	"hash"
)

const (
	// Size is the size of a QuickXorHash sum in bytes.
	Size = 20
	// BlockSize is the hash's natural block size: after 160 bytes the bit
	// offsets repeat.
	BlockSize = 160

	width = Size * 8 // bits in the register
	shift = 11       // bit offset step per input byte
)

// digest accumulates the input byte-wise: lanes[i] is the XOR of every input
// byte whose index is i mod 160. Because the bit offset of byte k depends only
// on k mod 160, the register can be assembled from the lanes when Sum is
// called, so Write is a plain (vectorised) XOR of 160-byte blocks.
type digest struct {
	lanes [BlockSize]byte
	pos   int    // index mod 160 of the next input byte
	n     uint64 // bytes written
}

// New returns a hash.Hash computing QuickXorHash.
func New() hash.Hash { return &digest{} }

// Sum returns the QuickXorHash of data.
func Sum(data []byte) [Size]byte {
	var d digest
	_, _ = d.Write(data)
	return d.sum()
}

func (d *digest) Size() int      { return Size }
func (d *digest) BlockSize() int { return BlockSize }

func (d *digest) Reset() { *d = digest{} }

func (d *digest) Write(p []byte) (int, error) {
	n := len(p)
	d.n += uint64(n)
	// Finish a partial block.
	if d.pos != 0 {
		k := subtle.XORBytes(d.lanes[d.pos:], d.lanes[d.pos:], p)
		d.pos = (d.pos + k) % BlockSize
		p = p[k:]
	}
	for len(p) >= BlockSize {
		subtle.XORBytes(d.lanes[:], d.lanes[:], p[:BlockSize])
		p = p[BlockSize:]
	}
	if len(p) > 0 {
		k := subtle.XORBytes(d.lanes[:], d.lanes[:], p)
		d.pos = k
	}
	return n, nil
}

func (d *digest) Sum(b []byte) []byte {
	s := d.sum()
	return append(b, s[:]...)
}

// sum places each lane at its bit offset in the 160-bit register (little
// endian bit order: bit j lives in byte j/8 at bit j%8) and XORs in the length.
func (d *digest) sum() [Size]byte {
	var out [Size]byte
	for i, b := range d.lanes {
		if b == 0 {
			continue
		}
		off := (i * shift) % width
		byteIdx, bit := off/8, uint(off%8)
		v := uint16(b) << bit
		out[byteIdx] ^= byte(v)
		if hi := byte(v >> 8); hi != 0 {
			out[(byteIdx+1)%Size] ^= hi
		}
	}
	var l [8]byte
	binary.LittleEndian.PutUint64(l[:], d.n)
	for i := range l {
		out[Size-8+i] ^= l[i]
	}
	return out
}
