package config

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Problem is one finding in a file, with its position.
type Problem struct {
	File    string
	Pos     Pos
	Msg     string
	Warning bool // the file still loads
}

func (p Problem) String() string {
	w := ""
	if p.Warning {
		w = "warning: "
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", p.File, p.Pos.Line, p.Pos.Col, w, p.Msg)
}

// Problems is a list of findings; as an error it prints one per line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Errors returns the problems that are not warnings.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns the warnings.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Doc is a parsed TOML file and the positions of its keys, for reading it
// against a schema with positioned messages.
type Doc struct {
	File     string
	Loc      Locations
	Problems Problems
	root     map[string]any
}

// ParseDoc parses data. A syntax error comes back as Problems with the
// position toml reports.
func ParseDoc(file string, data []byte) (*Doc, error) {
	if err := checkShape(file, data); err != nil {
		return nil, err
	}
	var root map[string]any
	if _, err := toml.Decode(string(data), &root); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, Problems{{File: file, Pos: Pos{pe.Position.Line, pe.Position.Col}, Msg: pe.Message}}
		}
		return nil, Problems{{File: file, Pos: Pos{1, 1}, Msg: err.Error()}}
	}
	return &Doc{File: file, Loc: Locate(string(data)), root: root}, nil
}

func (d *Doc) add(path string, warn bool, format string, args ...any) {
	d.Problems = append(d.Problems, Problem{File: d.File, Pos: d.Loc.At(path), Msg: fmt.Sprintf(format, args...), Warning: warn})
}

// Errorf records an error at path.
func (d *Doc) Errorf(path, format string, args ...any) { d.add(path, false, format, args...) }

// Warnf records a warning at path.
func (d *Doc) Warnf(path, format string, args ...any) { d.add(path, true, format, args...) }

// Root returns the top-level table.
func (d *Doc) Root() *Table { return &Table{d: d, m: d.root, read: map[string]bool{}} }

// Sorted sorts problems by position.
func (d *Doc) Sorted() Problems {
	ps := append(Problems(nil), d.Problems...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Pos.Line != ps[j].Pos.Line {
			return ps[i].Pos.Line < ps[j].Pos.Line
		}
		return ps[i].Pos.Col < ps[j].Pos.Col
	})
	return ps
}

// Table reads typed values from one TOML table and remembers which keys
// were read, so the rest can be reported as unknown.
type Table struct {
	d    *Doc
	path string
	m    map[string]any
	read map[string]bool
}

// Path returns the table's key path.
func (t *Table) Path() string { return t.path }

// KeyPath returns the path of key in this table.
func (t *Table) KeyPath(key string) string {
	if t.path == "" {
		return key
	}
	return t.path + "." + key
}

// Has reports whether key is set.
func (t *Table) Has(key string) bool { _, ok := t.m[key]; return ok }

func (t *Table) get(key string) (any, bool) {
	t.read[key] = true
	v, ok := t.m[key]
	return v, ok
}

func (t *Table) typeErr(key, want string, v any) {
	t.d.Errorf(t.KeyPath(key), "%s must be %s, not %s", key, want, tomlType(v))
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case time.Time:
		return "a date-time"
	}
	return fmt.Sprintf("%T", v)
}

// Raw returns a value as decoded, marking it read.
func (t *Table) Raw(key string) (any, bool) { return t.get(key) }

// String reads a string.
func (t *Table) String(key string, dst *string) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	s, ok := v.(string)
	if !ok {
		t.typeErr(key, "a string", v)
		return false
	}
	*dst = s
	return true
}

// Bool reads a boolean.
func (t *Table) Bool(key string, dst *bool) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		t.typeErr(key, "true or false", v)
		return false
	}
	*dst = b
	return true
}

// Int reads an integer.
func (t *Table) Int(key string, dst *int) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	n, ok := v.(int64)
	if !ok {
		t.typeErr(key, "an integer", v)
		return false
	}
	*dst = int(n)
	return true
}

// Float reads a number (integer or float).
func (t *Table) Float(key string, dst *float64) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	switch n := v.(type) {
	case int64:
		*dst = float64(n)
	case float64:
		*dst = n
	default:
		t.typeErr(key, "a number", v)
		return false
	}
	return true
}

// Duration reads a Go duration string ("1s", "500ms").
func (t *Table) Duration(key string, dst *time.Duration) bool {
	var s string
	if !t.String(key, &s) {
		return false
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		t.d.Errorf(t.KeyPath(key), "%s: %q is not a duration (like \"1s\" or \"500ms\")", key, s)
		return false
	}
	*dst = d
	return true
}

// Strings reads an array of strings.
func (t *Table) Strings(key string, dst *[]string) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	arr, ok := v.([]any)
	if !ok {
		t.typeErr(key, "an array of strings", v)
		return false
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			t.d.Errorf(t.KeyPath(key)+"."+strconv.Itoa(i), "%s[%d] must be a string, not %s", key, i, tomlType(e))
			return false
		}
		out = append(out, s)
	}
	*dst = out
	return true
}

// StringMap reads a table of strings (like env).
func (t *Table) StringMap(key string, dst *map[string]string) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.typeErr(key, "a table of strings", v)
		return false
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		s, ok := e.(string)
		if !ok {
			t.d.Errorf(t.KeyPath(key)+"."+k, "%s.%s must be a string, not %s", key, k, tomlType(e))
			continue
		}
		out[k] = s
	}
	*dst = out
	return true
}

// Sub returns the sub-table key.
func (t *Table) Sub(key string) (*Table, bool) {
	v, ok := t.get(key)
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.typeErr(key, "a table", v)
		return nil, false
	}
	return &Table{d: t.d, path: t.KeyPath(key), m: m, read: map[string]bool{}}, true
}

// Array returns the tables of an array of tables (or of inline tables).
func (t *Table) Array(key string) ([]*Table, bool) {
	v, ok := t.get(key)
	if !ok {
		return nil, false
	}
	var elems []map[string]any
	switch a := v.(type) {
	case []map[string]any:
		elems = a
	case []any:
		for i, e := range a {
			m, ok := e.(map[string]any)
			if !ok {
				t.d.Errorf(t.KeyPath(key)+"."+strconv.Itoa(i), "%s[%d] must be a table, not %s", key, i, tomlType(e))
				return nil, false
			}
			elems = append(elems, m)
		}
	default:
		t.typeErr(key, "an array of tables", v)
		return nil, false
	}
	out := make([]*Table, len(elems))
	for i, m := range elems {
		out[i] = &Table{d: t.d, path: t.KeyPath(key) + "." + strconv.Itoa(i), m: m, read: map[string]bool{}}
	}
	return out, true
}

// Keys returns the table's keys, sorted.
func (t *Table) Keys() []string {
	ks := make([]string, 0, len(t.m))
	for k := range t.m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Retire marks key as read and warns that it is no longer used, and why.
func (t *Table) Retire(key, why string) {
	t.read[key] = true
	t.d.add(t.KeyPath(key), true, "%q is no longer used: %s", key, why)
}

// Unknown reports every key that was not read, as warnings or errors.
func (t *Table) Unknown(warn bool, known ...string) {
	for _, k := range t.Keys() {
		if t.read[k] {
			continue
		}
		if slices.Contains(known, k) {
			// Known, but not read: it does nothing where it stands (a
			// layout's pane without grid). "did you mean" itself helps
			// nobody.
			t.d.add(t.KeyPath(k), warn, "key %q is not used here", k)
			continue
		}
		hint := ""
		if len(known) > 0 {
			if s := closest(k, known); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
		}
		t.d.add(t.KeyPath(k), warn, "unknown key %q%s", k, hint)
	}
}

// closest returns the known key nearest to k by edit distance, if close.
func closest(k string, known []string) string {
	best, bestD := "", 3
	for _, c := range known {
		if d := editDistance(k, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
