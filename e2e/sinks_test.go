package e2e

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// slackMessage is what Alertmanager's Slack integration posts: the fields
// of its one attachment the templates fill.
type slackMessage struct {
	Channel     string `json:"channel"`
	Attachments []struct {
		Title    string `json:"title"`
		Text     string `json:"text"`
		Color    string `json:"color"`
		Fallback string `json:"fallback"`
	} `json:"attachments"`
	raw     []byte
	arrived time.Time
}

// title and text of the message's attachment.
func (m slackMessage) title() string {
	if len(m.Attachments) == 0 {
		return ""
	}
	return m.Attachments[0].Title
}

func (m slackMessage) text() string {
	if len(m.Attachments) == 0 {
		return ""
	}
	return m.Attachments[0].Text
}

// jsonSink is an HTTP server inside the test that records every JSON body
// posted to it, decoded as T and stamped (raw body, arrival) by stamp, and
// answers reply: the receiving end of Alertmanager's webhook and Slack
// integrations.
type jsonSink[T any] struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []T
}

func newJSONSink[T any](t *testing.T, reply string, stamp func(v *T, raw []byte, arrived time.Time)) *jsonSink[T] {
	t.Helper()
	s := &jsonSink[T]{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		var v T
		if err == nil {
			err = json.Unmarshal(body, &v)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		stamp(&v, body, time.Now())
		s.mu.Lock()
		s.got = append(s.got, v)
		s.mu.Unlock()
		io.WriteString(w, reply)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// received returns what arrived so far, in order.
func (s *jsonSink[T]) received() []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]T(nil), s.got...)
}

// slackSink stands in for Slack's incoming-webhook API: it records every
// message Alertmanager posts and answers as Slack does.
type slackSink struct{ *jsonSink[slackMessage] }

func newSlackSink(t *testing.T) *slackSink {
	return &slackSink{newJSONSink(t, "ok", func(m *slackMessage, raw []byte, arrived time.Time) { m.raw, m.arrived = raw, arrived })}
}

func (s *slackSink) messages() []slackMessage { return s.received() }

// email is one message the SMTP sink received, its parts decoded.
type email struct {
	From, Subject string
	To            []string
	Text, HTML    string
	arrived       time.Time
}

// smtpSink is an SMTP server (go-smtp) that records every message
// Alertmanager's email integration sends, parsed as MIME.
type smtpSink struct {
	srv  *smtp.Server
	addr string
	mu   sync.Mutex
	got  []email
	errs []error
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	s := &smtpSink{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{sink: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go s.srv.Serve(l)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *smtpSink) emails() []email {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]email(nil), s.got...)
}

// errors are the messages the sink could not parse.
func (s *smtpSink) errors() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

type smtpSession struct {
	sink *smtpSink
	from string
	to   []string
}

func (s *smtpSession) Reset()        { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error { return nil }
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	e, err := parseEmail(r)
	e.From, e.To, e.arrived = s.from, s.to, time.Now()
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	if err != nil {
		s.sink.errs = append(s.sink.errs, err)
		return err
	}
	s.sink.got = append(s.sink.got, e)
	return nil
}

// parseEmail reads a MIME message: its decoded subject and its text/plain
// and text/html parts (multipart.Reader undoes quoted-printable).
func parseEmail(r io.Reader) (email, error) {
	var e email
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return e, err
	}
	dec := new(mime.WordDecoder)
	if e.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return e, err
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return e, err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return e, errors.New("not a multipart message: " + mt)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return e, err
		}
		body, err := io.ReadAll(p)
		if err != nil {
			return e, err
		}
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			e.Text = string(body)
		case "text/html":
			e.HTML = string(body)
		}
	}
	if e.Text == "" || e.HTML == "" {
		return e, errors.New("a part is missing: want text/plain and text/html")
	}
	return e, nil
}
