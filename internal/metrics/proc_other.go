//go:build !linux && !darwin

package metrics

import (
	"errors"
)

// On Windows (and systems without a reader here) WezTerm reports no tty for
// panes, so per-pane numbers are unavailable; system numbers still work.
type noReader struct{}

func newReader() procReader { return noReader{} }

func (noReader) Close() {}

func (noReader) watch(map[uint64]bool) {}

func (noReader) ttys() bool                { return false }
func (noReader) read() ([]procInfo, error) { return nil, nil }
func (noReader) fill(*procInfo)            {}
func (noReader) cmdline(int32) string      { return "" }

func ttyID(string) (uint64, error) {
	return 0, errors.New("terminals are not supported on this system")
}
