package deploy

import (
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// TestMain removes the exporter binary the tests built (testtools.Exporter).
func TestMain(m *testing.M) { testtools.Main(m) }
