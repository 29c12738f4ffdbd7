package cli

import (
	"io"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/echofn/echofn/internal/rawquery"
)

// accessLog writes serve's line per request byte for byte as slog's text
// or JSON handler (with default options) writes the same record, without
// going through slog: it is the one record written on every request, and
// writing it directly costs a fraction of slog's general path.
type accessLog struct {
	w    io.Writer
	json bool
	bufs sync.Pool
}

// newAccessLog writes lines of format ("text" or "json") to w.
func newAccessLog(w io.Writer, format string) *accessLog {
	return &accessLog{w: w, json: format == "json", bufs: sync.Pool{New: func() any { return new([]byte) }}}
}

// request is what a line says of one request.
type request struct {
	method, path string
	status       int
	took         time.Duration
	// fields are action, workflowId and stepId in turn; "" is left out.
	fields [3]string
}

// fieldNames names request.fields.
var fieldNames = [3]string{"action", "workflowId", "stepId"}

// queryFields reads request.fields from a raw query.
func queryFields(rawQuery string) (fields [3]string) {
	rawquery.GetEach(rawQuery, fieldNames[:], fields[:])
	return fields
}

// write writes the line for r, logged at now.
func (l *accessLog) write(now time.Time, r *request) {
	p := l.bufs.Get().(*[]byte)
	b := (*p)[:0]
	ms := float64(r.took.Microseconds()) / 1000
	if l.json {
		b = append(b, `{"time":"`...)
		b = now.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","level":"INFO","msg":"request","method":`...)
		b = appendJSONString(b, r.method)
		b = append(b, `,"path":`...)
		b = appendJSONString(b, r.path)
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(r.status), 10)
		b = append(b, `,"ms":`...)
		b = strconv.AppendFloat(b, ms, 'f', -1, 64) // as encoding/json writes 0 and [1e-6, 1e21)
		for i, v := range r.fields {
			if v != "" {
				b = append(b, `,"`...)
				b = append(b, fieldNames[i]...)
				b = append(b, `":`...)
				b = appendJSONString(b, v)
			}
		}
		b = append(b, "}\n"...)
	} else {
		b = append(b, "time="...)
		b = appendMillis(b, now)
		b = append(b, " level=INFO msg=request method="...)
		b = appendTextString(b, r.method)
		b = append(b, " path="...)
		b = appendTextString(b, r.path)
		b = append(b, " status="...)
		b = strconv.AppendInt(b, int64(r.status), 10)
		b = append(b, " ms="...)
		b = strconv.AppendFloat(b, ms, 'g', -1, 64)
		for i, v := range r.fields {
			if v != "" {
				b = append(b, ' ')
				b = append(b, fieldNames[i]...)
				b = append(b, '=')
				b = appendTextString(b, v)
			}
		}
		b = append(b, '\n')
	}
	_, _ = l.w.Write(b)
	if cap(b) <= 16<<10 { // a buffer a long path grew is left to the collector
		*p = b
		l.bufs.Put(p)
	}
}

// appendMillis appends t as time.Format's layout
// "2006-01-02T15:04:05.000Z07:00" writes it (fractions truncated), for
// years 0 to 9999 and zone offsets under 100 hours.
func appendMillis(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	}
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1e6, 3)
	_, offset := t.Zone()
	if offset == 0 {
		return append(b, 'Z')
	}
	minutes := offset / 60 // seconds of an offset are not written
	sign := byte('+')
	if minutes < 0 {
		sign, minutes = '-', -minutes
	}
	b = append(b, sign)
	b = appendDigits(b, minutes/60, 2)
	b = append(b, ':')
	return appendDigits(b, minutes%60, 2)
}

// appendDigits appends n, which is not negative, in width digits, with
// leading zeros.
func appendDigits(b []byte, n, width int) []byte {
	var d [4]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[:width]...)
}

// appendTextString appends s as slog's text handler writes a string: bare
// when it is not empty and has only printable characters other than
// space, '=' and '"', otherwise quoted as strconv.Quote quotes.
func appendTextString(b []byte, s string) []byte {
	if bare(s) {
		return append(b, s...)
	}
	return strconv.AppendQuote(b, s)
}

func bare(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < utf8.RuneSelf {
			if r < ' ' || r == ' ' || r == '=' || r == '"' {
				return false
			}
			continue
		}
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string as slog's JSON handler writes
// it: '"' and '\\' escaped, \n, \r and \t by name and other control
// characters as \u00XX, bytes that are not UTF-8 as \ufffd, U+2028 and
// U+2029 escaped, and everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < ' ':
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
