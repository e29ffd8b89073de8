package emulator

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // image facets of GIF files
	"image/jpeg"
	"image/png"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Media: image and photo facets (dimensions from the image header, camera
// data from a JPEG's EXIF block), scaled PNG thumbnails, and the PDF
// conversion of text.

// imageFacets returns the image dimensions and, for a JPEG with EXIF, the
// photo facet; nil for other content. Only headers are read.
func imageFacets(content []byte) (*[2]int, map[string]any) {
	if len(content) < 8 {
		return nil, nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(content))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, nil
	}
	dims := &[2]int{cfg.Width, cfg.Height}
	if content[0] == 0xFF && content[1] == 0xD8 {
		if tags, ok := jpegEXIF(content); ok {
			return dims, photoFacet(tags)
		}
	}
	return dims, nil
}

// exifTags are the EXIF values the photo facet uses.
type exifTags struct {
	make, model, taken        string
	fNumber, exposure, focal  [2]uint32 // rationals
	iso, orientation          int
	hasF, hasExposure, hasFoc bool
}

// photoFacet renders the driveItem photo facet.
func photoFacet(t exifTags) map[string]any {
	m := map[string]any{}
	if t.make != "" {
		m["cameraMake"] = t.make
	}
	if t.model != "" {
		m["cameraModel"] = t.model
	}
	if tm, err := time.Parse("2006:01:02 15:04:05", t.taken); err == nil {
		m["takenDateTime"] = driveTime(tm)
	}
	if t.hasF && t.fNumber[1] != 0 {
		m["fNumber"] = float64(t.fNumber[0]) / float64(t.fNumber[1])
	}
	if t.hasExposure {
		m["exposureNumerator"] = float64(t.exposure[0])
		m["exposureDenominator"] = float64(t.exposure[1])
	}
	if t.hasFoc && t.focal[1] != 0 {
		m["focalLength"] = float64(t.focal[0]) / float64(t.focal[1])
	}
	if t.iso > 0 {
		m["iso"] = t.iso
	}
	if t.orientation > 0 {
		m["orientation"] = t.orientation
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// jpegEXIF finds the APP1 Exif segment of a JPEG and reads its tags. It
// never panics on malformed input: every offset is bounds-checked.
func jpegEXIF(b []byte) (exifTags, bool) {
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return exifTags{}, false
		}
		marker := b[i+1]
		if marker == 0xD9 || marker == 0xDA { // end of image, start of scan
			return exifTags{}, false
		}
		n := int(binary.BigEndian.Uint16(b[i+2 : i+4]))
		if n < 2 || i+2+n > len(b) {
			return exifTags{}, false
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return parseTIFF(seg[6:])
		}
		i += 2 + n
	}
	return exifTags{}, false
}

// parseTIFF reads IFD0 and the EXIF sub-IFD of a TIFF block.
func parseTIFF(t []byte) (exifTags, bool) {
	var tags exifTags
	if len(t) < 8 {
		return tags, false
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return tags, false
	}
	u16 := func(o int) (int, bool) {
		if o < 0 || o+2 > len(t) {
			return 0, false
		}
		return int(bo.Uint16(t[o:])), true
	}
	u32 := func(o int) (uint32, bool) {
		if o < 0 || o+4 > len(t) {
			return 0, false
		}
		return bo.Uint32(t[o:]), true
	}
	ascii := func(count uint32, valOff int) string {
		if count == 0 || count > 256 {
			return ""
		}
		off := valOff
		if count > 4 {
			v, ok := u32(valOff)
			if !ok {
				return ""
			}
			off = int(v)
		}
		if off < 0 || off+int(count) > len(t) {
			return ""
		}
		return strings.TrimRight(string(t[off:off+int(count)]), "\x00 ")
	}
	rational := func(valOff int) ([2]uint32, bool) {
		v, ok := u32(valOff)
		if !ok {
			return [2]uint32{}, false
		}
		n, ok1 := u32(int(v))
		d, ok2 := u32(int(v) + 4)
		return [2]uint32{n, d}, ok1 && ok2
	}
	var readIFD func(off int, depth int) bool
	readIFD = func(off int, depth int) bool {
		if depth > 2 {
			return false
		}
		count, ok := u16(off)
		if !ok || count > 512 {
			return false
		}
		for k := 0; k < count; k++ {
			e := off + 2 + 12*k
			tag, ok1 := u16(e)
			typ, ok2 := u16(e + 2)
			cnt, ok3 := u32(e + 4)
			if !ok1 || !ok2 || !ok3 {
				return false
			}
			val := e + 8
			short := func() int {
				if typ == 3 {
					v, _ := u16(val)
					return v
				}
				v, _ := u32(val)
				return int(v)
			}
			switch tag {
			case 0x010F:
				tags.make = ascii(cnt, val)
			case 0x0110:
				tags.model = ascii(cnt, val)
			case 0x0112:
				tags.orientation = short()
			case 0x9003:
				tags.taken = ascii(cnt, val)
			case 0x0132:
				if tags.taken == "" {
					tags.taken = ascii(cnt, val)
				}
			case 0x829D:
				tags.fNumber, tags.hasF = rational(val)
			case 0x829A:
				tags.exposure, tags.hasExposure = rational(val)
			case 0x920A:
				tags.focal, tags.hasFoc = rational(val)
			case 0x8827:
				tags.iso = short()
			case 0x8769:
				sub, ok := u32(val)
				if ok {
					readIFD(int(sub), depth+1)
				}
			}
		}
		return true
	}
	first, ok := u32(4)
	if !ok {
		return tags, false
	}
	return tags, readIFD(int(first), 0)
}

// exifBlock builds an APP1 Exif segment (big-endian TIFF) with camera
// make and model, orientation, the date taken, f-number, exposure time,
// focal length and ISO. Seeds use it to make a realistic photo.
func exifBlock(make_, model string, taken time.Time, fNum, expo, focal [2]uint32, iso int) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		data     []byte // value bytes (inline when <= 4)
	}
	asciiData := func(s string) []byte { return append([]byte(s), 0) }
	rat := func(r [2]uint32) []byte {
		b := make([]byte, 8)
		binary.BigEndian.PutUint32(b, r[0])
		binary.BigEndian.PutUint32(b[4:], r[1])
		return b
	}
	short := func(v int) []byte { b := make([]byte, 4); binary.BigEndian.PutUint16(b, uint16(v)); return b }
	long := func(v int) []byte { b := make([]byte, 4); binary.BigEndian.PutUint32(b, uint32(v)); return b }
	date := taken.Format("2006:01:02 15:04:05")
	ifd0 := []entry{
		{0x010F, 2, uint32(len(make_) + 1), asciiData(make_)},
		{0x0110, 2, uint32(len(model) + 1), asciiData(model)},
		{0x0112, 3, 1, short(1)},
		{0x8769, 4, 1, nil}, // patched below
	}
	sub := []entry{
		{0x829A, 5, 1, rat(expo)},
		{0x829D, 5, 1, rat(fNum)},
		{0x8827, 3, 1, short(iso)},
		{0x9003, 2, uint32(len(date) + 1), asciiData(date)},
		{0x920A, 5, 1, rat(focal)},
	}
	// Layout: header(8) | IFD0 | IFD0 data | sub-IFD | sub data.
	ifdSize := func(es []entry) int { return 2 + 12*len(es) + 4 }
	dataSize := func(es []entry) int {
		n := 0
		for _, e := range es {
			if len(e.data) > 4 {
				n += len(e.data) + len(e.data)%2
			}
		}
		return n
	}
	off0 := 8
	subOff := off0 + ifdSize(ifd0) + dataSize(ifd0)
	ifd0[3].data = long(subOff)
	var buf bytes.Buffer
	buf.WriteString("MM")
	_ = binary.Write(&buf, binary.BigEndian, uint16(42))
	_ = binary.Write(&buf, binary.BigEndian, uint32(off0))
	writeIFD := func(es []entry, at int) {
		dataAt := at + ifdSize(es)
		var data bytes.Buffer
		_ = binary.Write(&buf, binary.BigEndian, uint16(len(es)))
		for _, e := range es {
			_ = binary.Write(&buf, binary.BigEndian, e.tag)
			_ = binary.Write(&buf, binary.BigEndian, e.typ)
			_ = binary.Write(&buf, binary.BigEndian, e.count)
			if len(e.data) <= 4 {
				v := make([]byte, 4)
				copy(v, e.data)
				buf.Write(v)
				continue
			}
			_ = binary.Write(&buf, binary.BigEndian, uint32(dataAt+data.Len()))
			data.Write(e.data)
			if len(e.data)%2 == 1 {
				data.WriteByte(0)
			}
		}
		_ = binary.Write(&buf, binary.BigEndian, uint32(0))
		buf.Write(data.Bytes())
	}
	writeIFD(ifd0, off0)
	writeIFD(sub, subOff)
	tiff := buf.Bytes()
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(out[2:], uint16(len(seg)+2))
	return append(out, seg...)
}

// withEXIF inserts an APP1 segment right after a JPEG's SOI marker.
func withEXIF(jpg, app1 []byte) []byte {
	if len(jpg) < 2 {
		return jpg
	}
	out := make([]byte, 0, len(jpg)+len(app1))
	out = append(out, jpg[:2]...)
	out = append(out, app1...)
	return append(out, jpg[2:]...)
}

// fitWithin scales w×h to fit a square of edge pixels, keeping the aspect
// ratio (never enlarging).
func fitWithin(w, h, edge int) (int, int) {
	if w <= edge && h <= edge {
		return w, h
	}
	if w >= h {
		return edge, max(1, int(math.Round(float64(h)*float64(edge)/float64(w))))
	}
	return max(1, int(math.Round(float64(w)*float64(edge)/float64(h)))), edge
}

// thumbnailPNG decodes an image and scales it (nearest neighbour) into the
// edge bounds, encoded as PNG. Images over 40 megapixels are refused.
func thumbnailPNG(content []byte, edge int) ([]byte, bool) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(content))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 40e6 {
		return nil, false
	}
	src, _, err := image.Decode(bytes.NewReader(content))
	if err != nil {
		return nil, false
	}
	b := src.Bounds()
	w, h := fitWithin(b.Dx(), b.Dy(), edge)
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		sy := b.Min.Y + y*b.Dy()/h
		for x := 0; x < w; x++ {
			sx := b.Min.X + x*b.Dx()/w
			dst.Set(x, y, color.NRGBAModel.Convert(src.At(sx, sy)))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// textPDF renders content as a minimal one-or-more-page PDF: the text of
// text files, otherwise a line naming the file. Helvetica, 11 pt, 60
// lines a page.
func textPDF(name string, content []byte, mime string) []byte {
	var lines []string
	if strings.HasPrefix(mime, "text/") || mime == "application/json" || utf8.Valid(content) && len(content) < 1<<20 && !bytes.ContainsRune(content, 0) {
		for _, l := range strings.Split(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n") {
			for len(l) > 95 {
				lines = append(lines, l[:95])
				l = l[95:]
			}
			lines = append(lines, l)
		}
	} else {
		lines = []string{name}
	}
	if len(lines) > 6000 {
		lines = lines[:6000]
	}
	const perPage = 60
	var pages [][]string
	for len(lines) > 0 {
		n := min(perPage, len(lines))
		pages = append(pages, lines[:n])
		lines = lines[n:]
	}
	if len(pages) == 0 {
		pages = [][]string{{""}}
	}
	esc := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r == '(' || r == ')' || r == '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r < 32 || r > 126:
				b.WriteByte('?')
			default:
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	// Objects: 1 catalog, 2 pages, 3 font, then page+content pairs.
	var objs []string
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = strconv.Itoa(4+2*i) + " 0 R"
	}
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids ["+strings.Join(kids, " ")+"] /Count "+strconv.Itoa(len(pages))+" >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i, pg := range pages {
		var st strings.Builder
		st.WriteString("BT /F1 11 Tf 13 TL 50 800 Td\n")
		for _, l := range pg {
			st.WriteString("(" + esc(l) + ") Tj T*\n")
		}
		st.WriteString("ET")
		stream := st.String()
		objs = append(objs,
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents "+strconv.Itoa(5+2*i)+" 0 R >>",
			"<< /Length "+strconv.Itoa(len(stream))+" >>\nstream\n"+stream+"\nendstream")
	}
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return buf.Bytes()
}

// seedJPEG makes a small JPEG photo with EXIF data.
func seedJPEG(w, h int, taken time.Time) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(40 + 150*x/w), uint8(90 + 100*y/h), 200, 255})
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
	app1 := exifBlock("Contoso Optics", "CX-100", taken, [2]uint32{28, 10}, [2]uint32{1, 250}, [2]uint32{50, 1}, 200)
	return withEXIF(buf.Bytes(), app1)
}

// seedPNG makes a small PNG image.
func seedPNG(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{0, 120, 212, 255}
			if (x/16+y/16)%2 == 0 {
				c = color.NRGBA{255, 255, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
