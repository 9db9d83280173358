package figures

import (
	"bytes"
	"errors"
	"hash/maphash"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"gopkg.in/yaml.v3"
)

// Parser parses datasets and remembers, across calls, the objects it decoded
// from each list item. A reload typically changes a handful of figures out
// of thousands: the items whose bytes are unchanged are not parsed again,
// and only the changed ones go through yaml.v3. Cross-object validation
// always runs on the whole dataset.
//
// The decoded objects are immutable once a parse returns; an unchanged item
// yields the very object of the previous dataset when it sits at the same
// line, and a copy with its positions moved when lines were added or
// removed above it.
//
// A Parser is safe for concurrent use; parses are serialised.
type Parser struct {
	mu    sync.Mutex
	cache map[itemKey]cachedItem
	gen   uint32         // generation of the parse in progress or last done
	hints map[string]int // items per top-level key in the last parse
	stats ParseStats
}

// ParseStats tells how the last parse went, for logs and tests.
type ParseStats struct {
	Items  int // list items of files parsed item by item
	Reused int // of which unchanged since the previous successful parse
	// Whole counts the files parsed whole by yaml.v3: files of another
	// layout than splitItems accepts, and files with problems (so that
	// their messages are exactly those of a whole parse).
	Whole int
}

// itemKey identifies the bytes of one item: two independent 64-bit hashes
// with seeds random per process, so that a collision (which would serve a
// stale object) takes some 2^64 items, and cannot be aimed at by a file's
// author, who does not know the seeds.
type itemKey struct {
	kind   string
	h1, h2 uint64
}

var keySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func keyOf(kind string, data []byte) itemKey {
	return itemKey{kind: kind, h1: maphash.Bytes(keySeeds[0], data), h2: maphash.Bytes(keySeeds[1], data)}
}

// cachedItem is an object decoded from an item of file at line, last seen
// by the parse of generation gen.
type cachedItem struct {
	obj  any // *Family, *Source or *Figure
	file string
	line int
	gen  uint32
}

// NewParser returns a Parser with nothing remembered.
func NewParser() *Parser {
	return &Parser{cache: map[itemKey]cachedItem{}, hints: map[string]int{}}
}

// Stats returns how the last parse went.
func (p *Parser) Stats() ParseStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Parse is like the package's Parse, and remembers the objects of a
// successful parse for the next one.
func (p *Parser) Parse(files []RawFile, now time.Time) (*Dataset, Diagnostics) {
	return p.ParseRevision(files, Revision(files), now)
}

// ParseRevision is Parse for a caller that has computed Revision(files)
// already (to see whether anything changed): hashing a large dataset again
// is a noticeable part of a reload.
func (p *Parser) ParseRevision(files []RawFile, revision string, now time.Time) (*Dataset, Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// The cache is updated in place rather than made anew: at 100k figures
	// a new map was a sixth of what a reload allocates, and allocation is
	// what slows the scrapes served meanwhile.
	p.gen++
	run := &parseRun{cache: p.cache, gen: p.gen, hints: p.hints, warm: len(p.cache) > 0}
	ds, diags := parse(files, revision, now, run)
	p.stats = run.stats
	if ds != nil {
		// Forget the items this dataset no longer has. After a failed
		// parse they stay: the served dataset still has them.
		for k, c := range p.cache {
			if c.gen != p.gen {
				delete(p.cache, k)
			}
		}
	}
	return ds, diags
}

// parseRun is the state of one parse: the items remembered from the previous
// one, and those of this one.
type parseRun struct {
	whole bool                   // parse every file whole (tests compare both ways)
	cache map[itemKey]cachedItem // the parser's, updated in place
	gen   uint32
	warm  bool           // a previous parse filled the cache: a dataset is served
	hints map[string]int // items per top-level key in the last parse
	stats ParseStats
}

// newParseRun is the state of a parse with nothing remembered.
func newParseRun() *parseRun {
	return &parseRun{cache: map[itemKey]cachedItem{}, gen: 1, hints: map[string]int{}}
}

// batchItems bounds how many items go through yaml.v3 in one document: big
// enough that the decoder's set-up costs nothing, small enough that the node
// tree of a batch stays a few megabytes however large the file.
const batchItems = 256

// decodeItems decodes a file item by item, reusing what run.cache holds. It
// returns ok false when the file must be parsed whole: it is not of the
// layout splitItems accepts, a batch does not parse cleanly into exactly its
// items, or any item has a problem.
func (run *parseRun) decodeItems(name string, data []byte) (*File, bool) {
	sections, ok := splitItems(data, run.hints)
	if !ok {
		return nil, false
	}
	type pending struct {
		kind  string
		items []item
		out   []any // decoded objects, in item order
	}
	var (
		batches []*pending
		objs    = map[string][]any{}
		keys    = map[string][]itemKey{}
	)
	for _, sec := range sections {
		kind := objectKind[sec.key]
		out := make([]any, len(sec.items))
		ks := make([]itemKey, len(sec.items))
		var cur *pending
		for i, it := range sec.items {
			ks[i] = keyOf(kind, data[it.start:it.end])
			if c, hit := run.cache[ks[i]]; hit {
				out[i] = c.at(name, it.line)
				run.stats.Reused++
				cur = nil
				continue
			}
			if cur == nil || len(cur.items) == batchItems {
				cur = &pending{kind: kind}
				batches = append(batches, cur)
			}
			cur.items = append(cur.items, it)
			// The batch fills its slots of out as it decodes.
			if len(cur.out) == 0 {
				cur.out = out[i:]
			}
		}
		run.stats.Items += len(sec.items)
		objs[sec.key], keys[sec.key] = out, ks
	}

	// Decode the batches on all cores at startup, on half of them when a
	// dataset is served meanwhile (scrapes keep the rest): a batch only
	// reads data and writes its own slots.
	workers := runtime.GOMAXPROCS(0)
	if run.warm {
		workers = max(1, workers/2)
	}
	var (
		bad  atomic.Bool
		wg   sync.WaitGroup
		jobs = make(chan *pending)
	)
	for range min(workers, max(len(batches), 1)) {
		wg.Go(func() {
			for b := range jobs {
				if !bad.Load() && !decodeBatch(name, data, b.kind, b.items, b.out) {
					bad.Store(true)
				}
			}
		})
	}
	for _, b := range batches {
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	if bad.Load() {
		return nil, false
	}

	f := &File{}
	for _, sec := range sections {
		run.hints[sec.key] = len(sec.items)
		switch sec.key {
		case "families":
			f.Families = make([]*Family, 0, len(sec.items))
		case "sources":
			f.Sources = make([]*Source, 0, len(sec.items))
		case "figures":
			f.Figures = make([]*Figure, 0, len(sec.items))
		}
		for i, obj := range objs[sec.key] {
			run.cache[keys[sec.key][i]] = cachedItem{obj: obj, file: name, line: sec.items[i].line, gen: run.gen}
			switch o := obj.(type) {
			case *Family:
				f.Families = append(f.Families, o)
			case *Source:
				f.Sources = append(f.Sources, o)
			case *Figure:
				f.Figures = append(f.Figures, o)
			}
		}
	}
	return f, true
}

// objectKind names the objects of each top-level list.
var objectKind = map[string]string{"families": "family", "sources": "source", "figures": "figure"}

// decodeBatch parses consecutive items of file name as one YAML document and
// decodes each into out. It reports false unless the batch parses into exactly
// those items, each starting on its own "- " line, with no problem at all.
func decodeBatch(name string, data []byte, kind string, items []item, out []any) bool {
	first, last := items[0], items[len(items)-1]
	dec := yaml.NewDecoder(bytes.NewReader(data[first.start:last.end]))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return false
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return false
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode || len(list.Content) != len(items) || hasAnchor(list) {
		// Anchors are left to the whole parse: an item using one defined in
		// another item would be stale when only the other one changes.
		return false
	}
	shift := first.line - 1
	for i, n := range list.Content {
		line := n.Line + shift
		if line < items[i].line || i+1 < len(items) && line >= items[i+1].line {
			return false
		}
		var obj yaml.Unmarshaler
		switch kind {
		case "family":
			obj = &Family{}
		case "source":
			obj = &Source{}
		default:
			obj = &Figure{}
		}
		var c collector
		decodeObject(&c, n, kind, obj)
		if len(c.diags) > 0 || c.dropped != nil {
			return false
		}
		out[i] = stamp(shiftLines(obj, shift), name)
	}
	return true
}

// hasAnchor reports whether any node under n defines an anchor.
func hasAnchor(n *yaml.Node) bool {
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAnchor(c) {
			return true
		}
	}
	return false
}

// at returns the cached object as decoded from file at line: the object
// itself when it was there already, otherwise a copy with its positions
// moved.
func (c cachedItem) at(file string, line int) any {
	if c.file == file && c.line == line {
		return c.obj
	}
	return stamp(shiftLines(copyObject(c.obj), line-c.line), file)
}

func copyObject(obj any) any {
	switch o := obj.(type) {
	case *Family:
		c := *o
		return &c
	case *Source:
		c := *o
		return &c
	case *Figure:
		c := *o
		c.Labels = append([]Label(nil), o.Labels...)
		if o.Derived != nil {
			d := *o.Derived
			c.Derived = &d
		}
		if o.ShareOf != nil {
			s := *o.ShareOf
			c.ShareOf = &s
		}
		return &c
	}
	panic("figures: unknown object type")
}

// shiftLines moves every position of a freshly decoded (or copied) object
// down by n lines.
func shiftLines(obj any, n int) any {
	if n == 0 {
		return obj
	}
	switch o := obj.(type) {
	case *Family:
		o.Pos.Line += n
	case *Source:
		o.Pos.Line += n
	case *Figure:
		o.Pos.Line += n
		for i := range o.fieldPos {
			if o.fieldPos[i].line != 0 {
				o.fieldPos[i].line += int32(n)
			}
		}
		for i := range o.Labels {
			o.Labels[i].at.line += int32(n)
		}
		if o.Derived != nil {
			o.Derived.Pos.Line += n
		}
		if o.ShareOf != nil {
			o.ShareOf.Pos.Line += n
		}
	}
	return obj
}

// stamp records the file name on a decoded or copied object (never on one
// a served dataset holds: scrapes read those concurrently).
func stamp(obj any, file string) any {
	switch o := obj.(type) {
	case *Family:
		o.Pos.File = file
	case *Source:
		o.Pos.File = file
	case *Figure:
		o.Pos.File = file
		if o.Derived != nil {
			o.Derived.Pos.File = file
		}
		if o.ShareOf != nil {
			o.ShareOf.Pos.File = file
		}
	}
	return obj
}
