package reload

import (
	"fmt"

	"github.com/robfig/cron/v3"
)

// Schedule reloads the holder on spec (--figures.reload-schedule): a
// standard five-field cron spec or a descriptor such as @hourly or @every
// 5m. Stop the returned cron to end it.
func Schedule(h *Holder, spec string) (*cron.Cron, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("invalid reload schedule %q: %w", spec, err)
	}
	c := cron.New()
	c.Schedule(s, cron.FuncJob(func() { h.Reload(TriggerSchedule) }))
	c.Start()
	return c, nil
}
