// Package fakeapi is a scripted stand-in for the model APIs the real agent
// CLIs talk to — Anthropic Messages (Claude Code), OpenAI Responses (Codex)
// and the Gemini API (Gemini CLI) — for tests only. It listens on 127.0.0.1
// and nowhere else, answers the agent's main requests from a script (a
// delay, text, a tool call that needs the user's permission, usage numbers,
// an error) and every other request (titles, routing, quota checks) with a
// short default, and logs what it answered so a test can compare the
// agent's records with what the "model" reported.
package fakeapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Usage is what a reply reports, in the provider's own terms mapped onto
// one shape: Input excludes cached input; CacheRead is input served from a
// cache; CacheWrite input written to one (Anthropic only).
type Usage struct {
	Input      int64 `json:"input"`
	Output     int64 `json:"output"`
	CacheRead  int64 `json:"cache_read,omitempty"`
	CacheWrite int64 `json:"cache_write,omitempty"`
}

// Tool is a tool call in a reply. Shell is a command for the agent's own
// shell tool (Bash for Claude Code, shell/exec_command for Codex,
// run_shell_command for Gemini CLI), found among the tools the request
// offers; Name and Input name any other tool directly.
type Tool struct {
	Shell string         `json:"shell,omitempty"`
	Name  string         `json:"name,omitempty"`
	Input map[string]any `json:"input,omitempty"`
}

// Error makes a reply fail with the provider's error shape.
type Error struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// Turn is one scripted reply.
type Turn struct {
	// Delay before the first byte of the reply (the model "thinking").
	Delay Duration `json:"delay,omitempty"`
	Text  string   `json:"text,omitempty"`
	Tool  *Tool    `json:"tool,omitempty"`
	Usage Usage    `json:"usage"`
	Error *Error   `json:"error,omitempty"`
	// Model overrides the model named in the reply (default: the one asked for).
	Model string `json:"model,omitempty"`
}

// Script is what one fake API answers: the main requests of each provider
// take the next turn of their list (the last one repeats when the list runs
// out); the other requests get Background.
type Script struct {
	Anthropic  []Turn `json:"anthropic,omitempty"`
	OpenAI     []Turn `json:"openai,omitempty"`
	Gemini     []Turn `json:"gemini,omitempty"`
	Background Turn   `json:"background"`
}

// Provider names.
const (
	Anthropic = "anthropic"
	OpenAI    = "openai"
	Gemini    = "gemini"
)

// Exchange is one request and what was answered.
type Exchange struct {
	Provider string    `json:"provider"`
	Path     string    `json:"path"`
	Model    string    `json:"model"`
	Main     bool      `json:"main"` // a main (scripted) request, not a side request
	Turn     int       `json:"turn"` // index into the provider's turns; -1 for background
	Stream   bool      `json:"stream"`
	Tool     string    `json:"tool,omitempty"` // the tool called, if any
	Usage    Usage     `json:"usage"`
	Status   int       `json:"status"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// LastUser is the start of the request's last user text (what was asked).
	LastUser string `json:"last_user,omitempty"`
}

// Server is a running fake API.
type Server struct {
	URL string // http://127.0.0.1:PORT

	ln    net.Listener
	srv   *http.Server
	mu    sync.Mutex
	sc    Script
	next  map[string]int
	log   []Exchange
	onLog func(Exchange)
	ids   int
	dump  string
}

// Start listens on 127.0.0.1:port (0: any free port) and serves sc.
// Anything but a loopback address is refused: the agents under test must
// never reach the internet, and a fake must never be reachable from it.
func Start(addr string, sc Script) (*Server, error) { return StartDump(addr, sc, "") }

// StartDump is Start that also writes each request's body to a file in
// dumpDir (NNNN-provider.json): how to learn what a new CLI version sends.
func StartDump(addr string, sc Script, dumpDir string) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("fake model API: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("fake model API: %q is not a loopback address: it listens on 127.0.0.1 only", host)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("fake model API: listen: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), ln: ln, sc: sc, next: map[string]int{}, dump: dumpDir}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// SetScript replaces the script and restarts every provider's turns.
func (s *Server) SetScript(sc Script) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sc, s.next = sc, map[string]int{}
}

// OnExchange calls f (outside the server's lock) after each reply.
func (s *Server) OnExchange(f func(Exchange)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onLog = f
}

// Log returns the exchanges so far.
func (s *Server) Log() []Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Exchange(nil), s.log...)
}

// Total sums the usage reported to provider's requests (main and side:
// every call the agent paid for).
func (s *Server) Total(provider string) Usage { return s.total(provider, false) }

// MainTotal sums the usage of the main requests only: what the agents
// record in their session files (side requests such as titles and routing
// are not recorded there).
func (s *Server) MainTotal(provider string) Usage { return s.total(provider, true) }

func (s *Server) total(provider string, mainOnly bool) Usage {
	var u Usage
	for _, e := range s.Log() {
		if e.Provider == provider && e.Status == http.StatusOK && (e.Main || !mainOnly) {
			u.Input += e.Usage.Input
			u.Output += e.Usage.Output
			u.CacheRead += e.Usage.CacheRead
			u.CacheWrite += e.Usage.CacheWrite
		}
	}
	return u
}

// take returns the turn for a request: the provider's next turn when main,
// else the background one.
func (s *Server) take(provider string, main bool) (Turn, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !main {
		return s.sc.Background, -1
	}
	var turns []Turn
	switch provider {
	case Anthropic:
		turns = s.sc.Anthropic
	case OpenAI:
		turns = s.sc.OpenAI
	case Gemini:
		turns = s.sc.Gemini
	}
	if len(turns) == 0 {
		return s.sc.Background, -1
	}
	i := s.next[provider]
	s.next[provider] = i + 1
	if i >= len(turns) {
		i = len(turns) - 1
	}
	return turns[i], i
}

func (s *Server) record(e Exchange) {
	e.Finished = time.Now()
	s.mu.Lock()
	s.log = append(s.log, e)
	f := s.onLog
	s.mu.Unlock()
	if f != nil {
		f(e)
	}
}

func (s *Server) id(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids++
	return fmt.Sprintf("%s%06d", prefix, s.ids)
}

// ServeHTTP routes by path: /v1/messages (Anthropic), /v1/responses
// (OpenAI), /v1beta/models/M:generateContent|streamGenerateContent
// (Gemini); anything else is a 404 the agents treat as an unsupported
// feature.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Never accept a request a browser page could make from elsewhere.
	if !loopbackHost(r.Host) {
		http.Error(w, "fake model API: loopback only", http.StatusForbidden)
		return
	}
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/v1/messages/count_tokens"):
		s.anthropicCount(w, r)
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/v1/messages"):
		s.anthropic(w, r)
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/responses"):
		s.openai(w, r)
	case r.Method == http.MethodPost && strings.Contains(p, "/models/") && (strings.HasSuffix(p, ":generateContent") || strings.HasSuffix(p, ":streamGenerateContent")):
		s.gemini(w, r)
	case r.Method == http.MethodPost && strings.Contains(p, "/models/") && strings.HasSuffix(p, ":countTokens"):
		writeJSON(w, http.StatusOK, map[string]any{"totalTokens": 100})
	case r.Method == http.MethodGet && strings.HasSuffix(p, "/models"):
		s.models(w, r)
	default:
		s.record(Exchange{Path: p, Status: http.StatusNotFound, Started: time.Now(), Turn: -1})
		http.Error(w, `{"error":{"message":"not found"}}`, http.StatusNotFound)
	}
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// sse writes server-sent events, flushing each.
type sse struct {
	w http.ResponseWriter
	f http.Flusher
}

func newSSE(w http.ResponseWriter) *sse {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	f, _ := w.(http.Flusher)
	return &sse{w: w, f: f}
}

func (e *sse) event(name string, v any) {
	b, _ := json.Marshal(v)
	if name != "" {
		fmt.Fprintf(e.w, "event: %s\n", name)
	}
	fmt.Fprintf(e.w, "data: %s\n\n", b)
	if e.f != nil {
		e.f.Flush()
	}
}

// wait sleeps the turn's delay, or less if the client went away.
func wait(r *http.Request, d Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(time.Duration(d))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-r.Context().Done():
		return errors.New("client gone")
	}
}

// chunks splits text into a few pieces so replies stream like a model's.
func chunks(text string) []string {
	words := strings.SplitAfter(text, " ")
	var out []string
	for i := 0; i < len(words); i += 4 {
		j := min(i+4, len(words))
		out = append(out, strings.Join(words[i:j], ""))
	}
	return out
}

// Duration is a time.Duration written as "5s" in JSON.
type Duration time.Duration

// MarshalJSON writes "5s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "5s" or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		*d = Duration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration: %s is neither \"5s\" nor nanoseconds", b)
	}
	*d = Duration(n)
	return nil
}
