package fakeapi

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T, sc Script) *Server {
	t.Helper()
	s, err := Start("", sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// post sends body and returns the SSE data lines (or the plain body as one
// line) and the status.
func post(t *testing.T, url, body string) ([]map[string]any, int) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var m map[string]any
				if err := json.Unmarshal([]byte(d), &m); err != nil {
					t.Fatalf("bad event %q: %v", d, err)
				}
				out = append(out, m)
			}
		}
		return out, resp.StatusCode
	}
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return []map[string]any{m}, resp.StatusCode
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80"} {
		if s, err := Start(addr, Script{}); err == nil {
			s.Close()
			t.Errorf("Start(%q) listened; want a refusal", addr)
		}
	}
}

func TestAnthropicStreamsTheScriptInOrder(t *testing.T) {
	s := start(t, Script{
		Anthropic: []Turn{
			{Delay: Duration(50 * time.Millisecond), Text: "I will run it.", Tool: &Tool{Shell: "touch x"}, Usage: Usage{Input: 100, Output: 20, CacheRead: 5, CacheWrite: 7}},
			{Text: "Done.", Usage: Usage{Input: 120, Output: 4}},
		},
		Background: Turn{Text: "Title", Usage: Usage{Input: 3, Output: 1}},
	})
	main := `{"model":"claude-opus-5-5","stream":true,"tools":[{"name":"Read"},{"name":"Bash"}],"messages":[{"role":"user","content":"go"}]}`
	began := time.Now()
	evs, code := post(t, s.URL+"/v1/messages?beta=true", main)
	if code != 200 || time.Since(began) < 50*time.Millisecond {
		t.Fatalf("status %d after %v", code, time.Since(began))
	}
	var text, tool, stop string
	var usage map[string]any
	for _, e := range evs {
		switch e["type"] {
		case "content_block_delta":
			d := e["delta"].(map[string]any)
			if d["type"] == "text_delta" {
				text += d["text"].(string)
			} else {
				tool += d["partial_json"].(string)
			}
		case "message_delta":
			stop = e["delta"].(map[string]any)["stop_reason"].(string)
			usage = e["usage"].(map[string]any)
		}
	}
	if text != "I will run it." || !strings.Contains(tool, `"command":"touch x"`) || stop != "tool_use" {
		t.Errorf("text %q tool %q stop %q", text, tool, stop)
	}
	if usage["input_tokens"].(float64) != 100 || usage["output_tokens"].(float64) != 20 || usage["cache_read_input_tokens"].(float64) != 5 || usage["cache_creation_input_tokens"].(float64) != 7 {
		t.Errorf("usage %v", usage)
	}
	// A side request (no tools) does not take a turn.
	side, _ := post(t, s.URL+"/v1/messages", `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"title?"}]}`)
	if side[0]["content"].([]any)[0].(map[string]any)["text"] != "Title" {
		t.Errorf("side reply %v", side[0])
	}
	evs, _ = post(t, s.URL+"/v1/messages", main)
	if evs[len(evs)-2]["delta"].(map[string]any)["stop_reason"] != "end_turn" {
		t.Errorf("second main request should get the second turn: %v", evs[len(evs)-2])
	}
	log := s.Log()
	if len(log) != 3 || !log[0].Main || log[1].Main || log[0].Tool != "Bash" || log[2].Turn != 1 {
		t.Errorf("log %+v", log)
	}
	if got := s.MainTotal(Anthropic); got != (Usage{Input: 220, Output: 24, CacheRead: 5, CacheWrite: 7}) {
		t.Errorf("main total %+v", got)
	}
	if got := s.Total(Anthropic); got.Input != 223 {
		t.Errorf("total %+v", got)
	}
}

func TestOpenAIResponsesCodexShape(t *testing.T) {
	s := start(t, Script{OpenAI: []Turn{{Text: "Running.", Tool: &Tool{Shell: "touch y"}, Usage: Usage{Input: 300, Output: 9, CacheRead: 100}}}})
	// Codex 0.16x: tools in an additional_tools input item, a freeform
	// "exec" tool; its thread-title request asks for a JSON schema.
	body := `{"model":"gpt-6.1-sol","stream":true,"input":[{"type":"additional_tools","tools":[{"type":"namespace","name":"functions","tools":[{"type":"custom","name":"exec"}]}]},{"type":"message","role":"user","content":[{"type":"input_text","text":"make y"}]}]}`
	evs, _ := post(t, s.URL+"/v1/responses", body)
	var call, usage map[string]any
	for _, e := range evs {
		if e["type"] == "response.output_item.done" {
			if it := e["item"].(map[string]any); it["type"] == "custom_tool_call" {
				call = it
			}
		}
		if e["type"] == "response.completed" {
			usage = e["response"].(map[string]any)["usage"].(map[string]any)
		}
	}
	if call == nil || call["name"] != "exec" || !strings.Contains(call["input"].(string), `"touch y"`) || !strings.Contains(call["input"].(string), "require_escalated") {
		t.Fatalf("tool call %v", call)
	}
	if usage["input_tokens"].(float64) != 400 || usage["input_tokens_details"].(map[string]any)["cached_tokens"].(float64) != 100 {
		t.Errorf("usage %v (input counts its cached part)", usage)
	}
	title := `{"model":"gpt-6.1-sol","stream":false,"input":"t","text":{"format":{"type":"json_schema","schema":{"type":"object","properties":{"title":{"type":"string"}}}}}}`
	got, _ := post(t, s.URL+"/v1/responses", title)
	txt := got[0]["output"].([]any)[0].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string)
	var v map[string]any
	if json.Unmarshal([]byte(txt), &v) != nil || v["title"] == nil {
		t.Errorf("a side request wants JSON in its schema, got %q", txt)
	}
	if s.Log()[1].Main {
		t.Error("the title request counted as a main request")
	}
}

func TestGeminiStreamAndRouter(t *testing.T) {
	s := start(t, Script{Gemini: []Turn{{Tool: &Tool{Shell: "touch z"}, Usage: Usage{Input: 50, Output: 5, CacheRead: 10}}}})
	router := `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"responseMimeType":"application/json","responseJsonSchema":{"type":"OBJECT","properties":{"complexity_score":{"type":"INTEGER"},"complexity_reasoning":{"type":"STRING"}}}}}`
	got, _ := post(t, s.URL+"/v1beta/models/gemini-3.5-flash-lite:generateContent", router)
	txt := got[0]["candidates"].([]any)[0].(map[string]any)["content"].(map[string]any)["parts"].([]any)[0].(map[string]any)["text"].(string)
	var v map[string]any
	if json.Unmarshal([]byte(txt), &v) != nil || v["complexity_score"] == nil {
		t.Errorf("router reply %q", txt)
	}
	main := `{"contents":[{"role":"user","parts":[{"text":"make z"}]}],"tools":[{"functionDeclarations":[{"name":"read_file"},{"name":"run_shell_command"}]}]}`
	evs, _ := post(t, s.URL+"/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse", main)
	last := evs[len(evs)-1]
	part := last["candidates"].([]any)[0].(map[string]any)["content"].(map[string]any)["parts"].([]any)[0].(map[string]any)
	fc, _ := part["functionCall"].(map[string]any)
	if fc["name"] != "run_shell_command" || fc["args"].(map[string]any)["command"] != "touch z" {
		t.Errorf("function call %v", part)
	}
	um := last["usageMetadata"].(map[string]any)
	if um["promptTokenCount"].(float64) != 60 || um["cachedContentTokenCount"].(float64) != 10 {
		t.Errorf("usage %v", um)
	}
	if l := s.Log(); l[1].Model != "gemini-3.8-flash" || !l[1].Main || l[0].Main {
		t.Errorf("log %+v", l)
	}
}

func TestScriptedErrors(t *testing.T) {
	s := start(t, Script{Anthropic: []Turn{{Error: &Error{Status: 529, Message: "overloaded"}}}, Gemini: []Turn{{Error: &Error{Status: 429, Message: "slow down"}}}})
	got, code := post(t, s.URL+"/v1/messages", `{"model":"m","tools":[{"name":"Bash"}],"messages":[]}`)
	if code != 529 || got[0]["error"].(map[string]any)["type"] != "overloaded_error" {
		t.Errorf("anthropic error %d %v", code, got)
	}
	got, code = post(t, s.URL+"/v1beta/models/g:generateContent", `{"contents":[],"tools":[{"functionDeclarations":[{"name":"x"}]}]}`)
	if code != 429 || got[0]["error"].(map[string]any)["status"] != "RESOURCE_EXHAUSTED" {
		t.Errorf("gemini error %d %v", code, got)
	}
	if s.MainTotal(Anthropic) != (Usage{}) {
		t.Error("a failed call reported usage")
	}
}

func TestForeignHostIsRefused(t *testing.T) {
	s := start(t, Script{})
	req, _ := http.NewRequest("POST", s.URL+"/v1/messages", strings.NewReader("{}"))
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("status %d for a request naming another host (DNS rebinding)", resp.StatusCode)
	}
}

func TestDurationJSON(t *testing.T) {
	var tr Turn
	if err := json.Unmarshal([]byte(`{"delay":"1.5s"}`), &tr); err != nil || time.Duration(tr.Delay) != 1500*time.Millisecond {
		t.Errorf("delay %v %v", tr.Delay, err)
	}
	if err := json.Unmarshal([]byte(`{"delay":"soon"}`), &tr); err == nil {
		t.Error("a bad delay was accepted")
	}
}
