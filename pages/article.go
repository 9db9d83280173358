package pages

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/coverage"
	"github.com/figures-exporter/figures_exporter/internal/extract"
)

// classifyTimeout bounds how long a report page waits for its article's
// numbers to be classified. The classification goes on and is cached, so
// a later request shows it; the page in between shows the plain text.
const classifyTimeout = 3 * time.Second

// article is a source's text as the pages show it, loaded once per view.
// Invariant: text is shown only when it is the seed the source records
// (its sha256 matches), so a page never shows an article the dataset did
// not vouch for.
type article struct {
	once    sync.Once
	text    string
	problem string // why the text is not shown; "" when it is
	done    chan struct{}
	marks   []coverage.Mark // valid once done is closed
}

// article returns src's article, reading and checking it on first use and
// starting the classification of its numbers.
func (s *Server) article(v *view, src *figures.Source) *article {
	a, _ := v.articles.LoadOrStore(src.ID, &article{done: make(chan struct{})})
	art := a.(*article)
	art.once.Do(func() {
		art.text, art.problem = s.readArticle(src)
		if art.problem != "" {
			close(art.done)
			return
		}
		go func() {
			defer close(art.done)
			art.marks = coverage.Classify(v.ds, src, art.text)
		}()
	})
	return art
}

// marksWithin returns the classified numbers, or false when they are not
// ready within d.
func (a *article) marksWithin(d time.Duration) ([]coverage.Mark, bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-a.done:
		return a.marks, true
	case <-t.C:
		return nil, false
	}
}

// readArticle reads the seed of src, bounded in size, and checks it
// against the sha256 the source records.
func (s *Server) readArticle(src *figures.Source) (text, problem string) {
	if s.opts.Seeds == nil {
		return "", "The article text is not available here (the exporter was started without --seeds.dir)."
	}
	f, err := s.opts.Seeds.Open(src.Seed)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", "The article text is not available here: the seeds directory has no file " + src.Seed + "."
		}
		s.opts.Logger.Warn("reading article", "seed", src.Seed, "err", err)
		return "", "The article text could not be read here (see the exporter's log)."
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.opts.MaxArticleSize+1))
	if err != nil {
		s.opts.Logger.Warn("reading article", "seed", src.Seed, "err", err)
		return "", "The article text could not be read here (see the exporter's log)."
	}
	if int64(len(data)) > s.opts.MaxArticleSize {
		return "", fmt.Sprintf("The article file %s is larger than %d MiB, the most a page shows.", src.Seed, s.opts.MaxArticleSize>>20)
	}
	sum := sha256.Sum256(data)
	switch got := hex.EncodeToString(sum[:]); {
	case src.SHA256 == "":
		return "", "The article text is not shown: the source records no sha256 to check the file " + src.Seed + " against."
	case got != src.SHA256:
		return "", "The article text is not shown: the file " + src.Seed + " differs from the one the figures were curated from (its sha256 does not match the source's)."
	}
	// The text Classify and the seeds check work on (the page's text for
	// an HTML seed), as coverage.SeedText reads it.
	return strings.ToValidUTF8(extract.Text(src.Seed, data), "\uFFFD"), ""
}

// segment is a run of an article paragraph: plain text, or a number with
// how it is accounted for, or (on a figure's page) the quote.
type segment struct {
	Text string
	// Kind is "" for plain text, a coverage.Kind for a number, "quote" for
	// the quoted passage.
	Kind      string
	FigureIDs []string
	Reason    string
	Line, Col int
}

// paragraph is one line of the article (seeds hold a paragraph a line).
type paragraph []segment

// paragraphs cuts text into its non-blank lines and the marks into the
// lines they fall in. Marks are sorted by Start and do not overlap (the
// extractor's candidates are disjoint); a mark that crossed a line end
// would be cut at it.
func paragraphs(text string, marks []coverage.Mark) []paragraph {
	var out []paragraph
	mi := 0
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if strings.TrimSpace(text[start:end]) != "" {
			var p paragraph
			at := start
			for mi < len(marks) && marks[mi].Start < end {
				m := marks[mi]
				ms, me := max(m.Start, at), min(m.End, end)
				if ms > at {
					p = append(p, segment{Text: text[at:ms]})
				}
				if me > ms {
					p = append(p, segment{Text: text[ms:me], Kind: string(m.Kind), FigureIDs: m.FigureIDs, Reason: m.Reason, Line: m.Line, Col: m.Col})
					at = me
				}
				if m.End > end {
					break // the rest of the mark is on the next line
				}
				mi++
			}
			if at < end {
				p = append(p, segment{Text: text[at:end]})
			}
			out = append(out, p)
		}
		start = end + 1
	}
	return out
}

// quoteParagraphs returns the lines of text that hold the first place of
// quote, with the quote marked; nil when the quote is not found.
func quoteParagraphs(text, quote string) []paragraph {
	spans := coverage.QuoteSpans(text, quote)
	if len(spans) == 0 {
		return nil
	}
	s, e := spans[0][0], spans[0][1]
	lo := strings.LastIndexByte(text[:s], '\n') + 1
	hi := len(text)
	if i := strings.IndexByte(text[e:], '\n'); i >= 0 {
		hi = e + i
	}
	return paragraphs(text[lo:hi], []coverage.Mark{{Start: s - lo, End: e - lo, Kind: "quote"}})
}
