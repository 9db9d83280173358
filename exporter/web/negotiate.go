package web

import (
	"net/http"
	"strings"
)

// negotiateEncoding picks the content encoding of a /metrics response from
// the request's Accept-Encoding exactly as promhttp does (its negotiation
// lives in an internal package of client_golang, a port of gddo's
// httputil.NegotiateContentEncoding): the offer with the highest q, the
// first offer on a tie, identity when nothing matches or all is refused.
func negotiateEncoding(r *http.Request) string {
	best, bestQ := "identity", -1.0
	specs := parseAcceptEncoding(r.Header)
	for _, offer := range offeredEncodings {
		for _, s := range specs {
			if s.q > bestQ && (s.value == "*" || s.value == offer) {
				best, bestQ = offer, s.q
			}
		}
	}
	if bestQ == 0 {
		// promhttp fails to make a writer for "" and falls back to
		// identity.
		return "identity"
	}
	return best
}

type acceptSpec struct {
	value string
	q     float64
}

func parseAcceptEncoding(h http.Header) (specs []acceptSpec) {
loop:
	for _, s := range h["Accept-Encoding"] {
		for {
			var spec acceptSpec
			spec.value, s = expectToken(s)
			if spec.value == "" {
				continue loop
			}
			spec.q = 1
			s = skipSpace(s)
			if strings.HasPrefix(s, ";") {
				s = skipSpace(s[1:])
				if !strings.HasPrefix(s, "q=") {
					continue loop
				}
				spec.q, s = expectQuality(s[2:])
				if spec.q < 0 {
					continue loop
				}
			}
			specs = append(specs, spec)
			s = skipSpace(s)
			if !strings.HasPrefix(s, ",") {
				continue loop
			}
			s = skipSpace(s[1:])
		}
	}
	return specs
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isTokenOrSlash: an RFC 2616 token character, or '/'.
func isTokenOrSlash(c byte) bool {
	return c > 31 && c < 127 && (c == '/' || !strings.ContainsRune(" \t\"(),:;<=>?@[]\\{}", rune(c)))
}

func skipSpace(s string) string {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return s[i:]
}

func expectToken(s string) (token, rest string) {
	i := 0
	for i < len(s) && isTokenOrSlash(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func expectQuality(s string) (q float64, rest string) {
	switch {
	case len(s) == 0:
		return -1, ""
	case s[0] == '0':
		q = 0
	case s[0] == '1':
		q = 1
	default:
		return -1, ""
	}
	s = s[1:]
	if !strings.HasPrefix(s, ".") {
		return q, s
	}
	s = s[1:]
	i, n, d := 0, 0, 1
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
		d *= 10
	}
	return q + float64(n)/float64(d), s[i:]
}
