package reload

import (
	"fmt"

	"github.com/robfig/cron/v3"
)

// ParseSchedule checks a --figures.reload-schedule value: a standard
// five-field cron spec or a descriptor such as @hourly or @every 5m.
func ParseSchedule(spec string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("invalid reload schedule %q: %w", spec, err)
	}
	return s, nil
}

// Schedule reloads the holder on the given schedule. Stop the returned cron
// to end it.
func Schedule(h *Holder, spec string) (*cron.Cron, error) {
	s, err := ParseSchedule(spec)
	if err != nil {
		return nil, err
	}
	c := cron.New()
	c.Schedule(s, cron.FuncJob(func() { h.Reload(TriggerSchedule) }))
	c.Start()
	return c, nil
}
