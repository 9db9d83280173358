package reload

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce groups the bursts of events one save makes (an editor's
// write-temp-then-rename, a ConfigMap's symlink swap) into one reload.
const DefaultDebounce = 250 * time.Millisecond

// Watch reloads the holder when the figures files change, until ctx ends.
// It watches the directories that hold them rather than the files: editors
// and Kubernetes replace files by renaming, which a watch on the old file
// would miss. Content that has not changed is a no-op reload.
func Watch(ctx context.Context, h *Holder, debounce time.Duration) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	for _, p := range h.source.Paths {
		dir := p
		if info, err := os.Stat(p); err != nil || !info.IsDir() {
			dir = filepath.Dir(p)
		}
		// Files in one directory add it again: a no-op for fsnotify.
		if err := w.Add(dir); err != nil {
			w.Close()
			return fmt.Errorf("watching %s: %w", dir, err)
		}
	}
	// The timer fires only once an event arms it, and each event re-arms
	// it: a burst reloads once, debounce after its last event. Only the
	// goroutine below resets it; its function only reloads.
	timer := time.AfterFunc(math.MaxInt64, func() {
		if ctx.Err() == nil {
			h.Reload(TriggerWatch)
		}
	})
	go func() {
		defer w.Close()
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Op == fsnotify.Chmod {
					continue
				}
				h.logger.Debug("figures directory changed", "event", ev.String())
				timer.Reset(debounce)
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				h.logger.Error("watching figures files", "err", err)
			}
		}
	}()
	return nil
}
