package emulator

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// MIME (outlook-get-mime-message.md, outlook-send-mime-message.md):
// GET .../$value answers the RFC 822 form of a message; sendMail, POST
// messages and the reply actions accept a base64 MIME message with
// Content-Type: text/plain.

const maxMIMEBytes = 36 << 20

// mimeAddress formats a recipient value as an RFC 5322 address.
func mimeAddress(v any) string {
	n, a := addressOf(v)
	if a == "" {
		return ""
	}
	return (&mail.Address{Name: n, Address: a}).String()
}

func mimeAddressList(v any) string {
	list, _ := v.([]any)
	var out []string
	for _, r := range list {
		if s := mimeAddress(r); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

// mimeOfDoc writes a message document and its attachments as MIME.
func mimeOfDoc(doc map[string]any, atts []*attachment) []byte {
	var b bytes.Buffer
	hdr := func(k, v string) {
		if v != "" {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	from := doc["from"]
	if from == nil {
		from = doc["sender"]
	}
	hdr("From", mimeAddress(from))
	if s := mimeAddress(doc["sender"]); s != "" && s != mimeAddress(from) {
		hdr("Sender", s)
	}
	hdr("To", mimeAddressList(doc["toRecipients"]))
	hdr("Cc", mimeAddressList(doc["ccRecipients"]))
	hdr("Subject", mime.QEncoding.Encode("utf-8", str(doc["subject"])))
	date := time.Now().UTC()
	if t, err := time.Parse(time.RFC3339, str(doc["sentDateTime"])); err == nil {
		date = t
	}
	hdr("Date", date.Format(time.RFC1123Z))
	hdr("Message-ID", str(doc["internetMessageId"]))
	if imp := str(doc["importance"]); imp == "high" || imp == "low" {
		hdr("Importance", imp)
	}
	if list, ok := doc["internetMessageHeaders"].([]any); ok {
		for _, h := range list {
			hm, _ := h.(map[string]any)
			if n := str(hm["name"]); strings.HasPrefix(lower(n), "x-") {
				hdr(n, mime.QEncoding.Encode("utf-8", str(hm["value"])))
			}
		}
	}
	hdr("MIME-Version", "1.0")
	body, _ := doc["body"].(map[string]any)
	ct := "text/plain"
	if lower(str(body["contentType"])) == "html" {
		ct = "text/html"
	}
	writeText := func(w io.Writer) {
		qp := quotedprintable.NewWriter(w)
		_, _ = qp.Write([]byte(str(body["content"])))
		_ = qp.Close()
	}
	if len(atts) == 0 {
		hdr("Content-Type", ct+"; charset=\"utf-8\"")
		hdr("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeText(&b)
		return b.Bytes()
	}
	var parts bytes.Buffer
	mw := multipart.NewWriter(&parts)
	hdr("Content-Type", "multipart/mixed; boundary=\""+mw.Boundary()+"\"")
	b.WriteString("\r\n")
	pw, _ := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {ct + "; charset=\"utf-8\""},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	writeText(pw)
	for _, a := range atts {
		h := textproto.MIMEHeader{}
		disp := "attachment"
		if a.inline {
			disp = "inline"
		}
		var data []byte
		switch a.kind {
		case "file":
			h.Set("Content-Type", orDefault(a.contentType, "application/octet-stream")+"; name=\""+mime.QEncoding.Encode("utf-8", a.name)+"\"")
			data = a.data
		case "item":
			h.Set("Content-Type", "message/rfc822")
			data = mimeOfDoc(a.item, nil)
		default:
			continue
		}
		h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": a.name, "size": strconv.Itoa(len(data))}))
		if a.contentID != "" {
			h.Set("Content-ID", "<"+strings.Trim(a.contentID, "<>")+">")
		}
		if a.kind == "item" {
			w, _ := mw.CreatePart(h)
			_, _ = w.Write(data)
			continue
		}
		h.Set("Content-Transfer-Encoding", "base64")
		w, _ := mw.CreatePart(h)
		writeBase64Lines(w, data)
	}
	_ = mw.Close()
	b.Write(parts.Bytes())
	return b.Bytes()
}

// writeBase64Lines writes data as base64 in 76-character lines.
func writeBase64Lines(w io.Writer, data []byte) {
	const line = 57 // bytes per 76-character line
	buf := make([]byte, base64.StdEncoding.EncodedLen(line)+2)
	for len(data) > 0 {
		n := min(line, len(data))
		base64.StdEncoding.Encode(buf, data[:n])
		m := base64.StdEncoding.EncodedLen(n)
		buf[m], buf[m+1] = '\r', '\n'
		_, _ = w.Write(buf[:m+2])
		data = data[n:]
	}
}

// messageValue serves GET .../messages/{id}/$value.
func (s *Server) messageValue(c *call) {
	mb, e, ok := s.routeMessage(c)
	if !ok {
		return
	}
	body := mimeOfDoc(messageDoc(e), s.attachmentsOf(mb, e))
	c.setCommonHeaders()
	c.w.Header().Set("Content-Type", "text/plain")
	c.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(body)
}

// parsedMIME is a message read from MIME.
type parsedMIME struct {
	doc         map[string]any
	attachments []*attachment
}

// parseMIMEBase64 reads a base64-encoded MIME message (line breaks in the
// base64 allowed), as sendMail takes it.
func parseMIMEBase64(data []byte) (*parsedMIME, error) {
	clean := bytes.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, data)
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(raw, clean)
	if err != nil {
		return nil, errors.New("the body is not base64")
	}
	return parseMIME(raw[:n])
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	// UTF-8 and ASCII pass; other charsets are read as they are.
	return r, nil
}}

func decodeHeader(v string) string {
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		return d
	}
	return v
}

// parseMIME reads a MIME message into a message document and attachments.
func parseMIME(raw []byte) (*parsedMIME, error) {
	if len(raw) > maxMIMEBytes {
		return nil, errors.New("the MIME message is too large")
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("the MIME message cannot be read: %w", err)
	}
	doc := map[string]any{}
	addrs := func(h string) []any {
		v := m.Header.Get(h)
		if v == "" {
			return []any{}
		}
		list, err := (&mail.AddressParser{WordDecoder: wordDecoder}).ParseList(v)
		if err != nil {
			return []any{}
		}
		out := make([]any, 0, len(list))
		for _, a := range list {
			out = append(out, recipient(a.Name, a.Address))
		}
		return out
	}
	doc["subject"] = decodeHeader(m.Header.Get("Subject"))
	doc["toRecipients"] = addrs("To")
	doc["ccRecipients"] = addrs("Cc")
	doc["bccRecipients"] = addrs("Bcc")
	if from := addrs("From"); len(from) > 0 {
		doc["from"] = from[0]
	}
	if id := strings.TrimSpace(m.Header.Get("Message-Id")); id != "" {
		doc["internetMessageId"] = id
	}
	if imp := lower(m.Header.Get("Importance")); imp == "high" || imp == "low" {
		doc["importance"] = imp
	}
	var custom []any
	for k, vs := range m.Header {
		if strings.HasPrefix(lower(k), "x-") && len(vs) > 0 {
			custom = append(custom, map[string]any{"name": k, "value": decodeHeader(vs[0])})
		}
	}
	if len(custom) > 0 {
		doc["internetMessageHeaders"] = custom
	}
	p := &parsedMIME{doc: doc}
	var text, html string
	var walk func(h textproto.MIMEHeader, r io.Reader, depth int) error
	walk = func(h textproto.MIMEHeader, r io.Reader, depth int) error {
		if depth > 20 {
			return errors.New("the MIME message nests too deeply")
		}
		ct := h.Get("Content-Type")
		if ct == "" {
			ct = "text/plain"
		}
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			mt, params = "application/octet-stream", nil
		}
		if strings.HasPrefix(mt, "multipart/") {
			if params["boundary"] == "" {
				return errors.New("a multipart part has no boundary")
			}
			mr := multipart.NewReader(r, params["boundary"])
			for {
				part, err := mr.NextRawPart()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return fmt.Errorf("bad multipart: %w", err)
				}
				if err := walk(part.Header, part, depth+1); err != nil {
					return err
				}
			}
		}
		var body io.Reader = r
		switch lower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, &newlineSkipper{r: r})
		case "quoted-printable":
			body = quotedprintable.NewReader(r)
		}
		data, err := io.ReadAll(io.LimitReader(body, maxMIMEBytes))
		if err != nil {
			return fmt.Errorf("bad part content: %w", err)
		}
		disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
		name := decodeHeader(dparams["filename"])
		if name == "" {
			name = decodeHeader(params["name"])
		}
		cid := strings.Trim(h.Get("Content-Id"), "<> ")
		isBody := disp != "attachment" && name == "" && (mt == "text/plain" || mt == "text/html")
		if isBody {
			if mt == "text/html" && html == "" {
				html = string(data)
			} else if mt == "text/plain" && text == "" {
				text = string(data)
			}
			return nil
		}
		if name == "" {
			name = "attachment"
		}
		a := &attachment{id: randomID("AAMkA"), name: name, contentType: mt, contentID: cid, kind: "file",
			inline: disp == "inline" || disp == "" && cid != "", size: len(data), modified: time.Now().UTC(), data: data}
		p.attachments = append(p.attachments, a)
		return nil
	}
	if err := walk(textproto.MIMEHeader(m.Header), m.Body, 0); err != nil {
		return nil, err
	}
	if html != "" {
		doc["body"] = map[string]any{"contentType": "html", "content": html}
	} else {
		doc["body"] = map[string]any{"contentType": "text", "content": text}
	}
	return p, nil
}

// newlineSkipper drops line breaks and spaces, for base64 parts.
type newlineSkipper struct{ r io.Reader }

func (n *newlineSkipper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, b := range p[:k] {
			if b != '\r' && b != '\n' && b != ' ' && b != '\t' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
