package reload

import (
	"fmt"

	"github.com/robfig/cron/v3"
)

// Schedule reloads the holder on spec (--figures.reload-schedule): a
// standard five-field cron spec or a descriptor such as @hourly or @every
// 5m (cron.New's parser). Stop the returned cron to end it.
func Schedule(h *Holder, spec string) (*cron.Cron, error) {
	c := cron.New()
	if _, err := c.AddFunc(spec, func() { h.Reload(TriggerSchedule) }); err != nil {
		return nil, fmt.Errorf("invalid reload schedule %q: %w", spec, err)
	}
	c.Start()
	return c, nil
}
