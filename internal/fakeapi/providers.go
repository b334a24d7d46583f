package fakeapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// maxBody caps a request body: agents send their whole conversation, a few
// MiB at most in tests.
const maxBody = 64 << 20

// shellTools are the names each agent gives its shell tool, best first.
var shellTools = map[string][]string{
	Anthropic: {"Bash"},
	OpenAI:    {"shell", "exec_command", "shell_command", "local_shell", "exec"},
	Gemini:    {"run_shell_command"},
}

// pickTool returns the tool to call and its input, given the names the
// request offers.
func pickTool(provider string, t *Tool, offered []string) (string, map[string]any) {
	if t.Name != "" {
		return t.Name, t.Input
	}
	has := map[string]bool{}
	for _, n := range offered {
		has[n] = true
	}
	name := ""
	for _, n := range shellTools[provider] {
		if has[n] {
			name = n
			break
		}
	}
	if name == "" {
		name = shellTools[provider][0]
	}
	switch name {
	case "exec":
		// Codex (0.16x) offers one freeform tool that runs JavaScript
		// calling its nested tools; escalation makes it ask the user.
		js := fmt.Sprintf("const r = await tools.exec_command({cmd: %q, sandbox_permissions: \"require_escalated\", justification: %q});\ntext(r.output);", t.Shell, "Run "+t.Shell+"?")
		return name, map[string]any{"js": js}
	case "shell", "local_shell":
		return name, map[string]any{"command": []string{"bash", "-lc", t.Shell}}
	case "exec_command":
		return name, map[string]any{"cmd": t.Shell}
	case "shell_command":
		return name, map[string]any{"command": t.Shell}
	}
	return name, map[string]any{"command": t.Shell, "description": "Run " + t.Shell}
}

func (s *Server) readBody(r *http.Request, provider string, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return err
	}
	if s.dump != "" {
		name := filepath.Join(s.dump, s.id("")+"-"+provider+".json")
		os.WriteFile(name, append([]byte(r.Method+" "+r.URL.String()+"\n"), b...), 0o600)
	}
	return json.Unmarshal(b, v)
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// --- Anthropic Messages ---

type anthropicReq struct {
	Model  string `json:"model"`
	Stream bool   `json:"stream"`
	Tools  []struct {
		Name string `json:"name"`
	} `json:"tools"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
}

func (q anthropicReq) lastUser() string {
	for i := len(q.Messages) - 1; i >= 0; i-- {
		m := q.Messages[i]
		if m.Role != "user" {
			continue
		}
		var s string
		if json.Unmarshal(m.Content, &s) == nil {
			return clip(s)
		}
		var blocks []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		json.Unmarshal(m.Content, &blocks)
		var parts []string
		for _, b := range blocks {
			if b.Type == "text" && !strings.HasPrefix(b.Text, "<system-reminder>") {
				parts = append(parts, b.Text)
			} else if b.Type == "tool_result" {
				parts = append(parts, "[tool_result]")
			}
		}
		return clip(strings.Join(parts, " "))
	}
	return ""
}

func (s *Server) anthropicCount(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"input_tokens": 100})
}

func (s *Server) anthropic(w http.ResponseWriter, r *http.Request) {
	ex := Exchange{Provider: Anthropic, Path: r.URL.Path, Started: time.Now()}
	var q anthropicReq
	if err := s.readBody(r, Anthropic, &q); err != nil {
		ex.Status = http.StatusBadRequest
		s.record(ex)
		writeJSON(w, http.StatusBadRequest, map[string]any{"type": "error", "error": map[string]any{"type": "invalid_request_error", "message": "fake model API: " + err.Error()}})
		return
	}
	var names []string
	for _, t := range q.Tools {
		names = append(names, t.Name)
	}
	ex.Model, ex.Stream, ex.Main, ex.LastUser = q.Model, q.Stream, len(q.Tools) > 0, q.lastUser()
	turn, i := s.take(Anthropic, ex.Main)
	ex.Turn = i
	if err := wait(r, turn.Delay); err != nil {
		ex.Status = 499
		s.record(ex)
		return
	}
	if turn.Error != nil {
		ex.Status = turn.Error.Status
		s.record(ex)
		kind := "api_error"
		switch turn.Error.Status {
		case 429:
			kind = "rate_limit_error"
		case 529:
			kind = "overloaded_error"
		case 400:
			kind = "invalid_request_error"
		}
		writeJSON(w, turn.Error.Status, map[string]any{"type": "error", "error": map[string]any{"type": kind, "message": turn.Error.Message}})
		return
	}
	model := q.Model
	if turn.Model != "" {
		model = turn.Model
	}
	text := turn.Text
	if text == "" && turn.Tool == nil {
		text = "OK."
	}
	var blocks []map[string]any
	if text != "" {
		blocks = append(blocks, map[string]any{"type": "text", "text": text})
	}
	stop := "end_turn"
	if turn.Tool != nil {
		name, input := pickTool(Anthropic, turn.Tool, names)
		ex.Tool = name
		blocks = append(blocks, map[string]any{"type": "tool_use", "id": s.id("toolu_fake"), "name": name, "input": input})
		stop = "tool_use"
	}
	u := turn.Usage
	usage := map[string]any{
		"input_tokens":                u.Input,
		"cache_creation_input_tokens": u.CacheWrite,
		"cache_read_input_tokens":     u.CacheRead,
		"output_tokens":               u.Output,
		"service_tier":                "standard",
	}
	id := s.id("msg_fake")
	ex.Usage, ex.Status = u, http.StatusOK
	if !q.Stream {
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "type": "message", "role": "assistant", "model": model,
			"content": blocks, "stop_reason": stop, "stop_sequence": nil, "usage": usage})
		s.record(ex)
		return
	}
	e := newSSE(w)
	start := map[string]any{}
	for k, v := range usage {
		start[k] = v
	}
	start["output_tokens"] = 1
	e.event("message_start", map[string]any{"type": "message_start", "message": map[string]any{"id": id, "type": "message", "role": "assistant",
		"model": model, "content": []any{}, "stop_reason": nil, "stop_sequence": nil, "usage": start}})
	for bi, b := range blocks {
		if b["type"] == "text" {
			e.event("content_block_start", map[string]any{"type": "content_block_start", "index": bi, "content_block": map[string]any{"type": "text", "text": ""}})
			for _, c := range chunks(text) {
				e.event("content_block_delta", map[string]any{"type": "content_block_delta", "index": bi, "delta": map[string]any{"type": "text_delta", "text": c}})
			}
		} else {
			in, _ := json.Marshal(b["input"])
			e.event("content_block_start", map[string]any{"type": "content_block_start", "index": bi, "content_block": map[string]any{"type": "tool_use", "id": b["id"], "name": b["name"], "input": map[string]any{}}})
			e.event("content_block_delta", map[string]any{"type": "content_block_delta", "index": bi, "delta": map[string]any{"type": "input_json_delta", "partial_json": string(in)}})
		}
		e.event("content_block_stop", map[string]any{"type": "content_block_stop", "index": bi})
	}
	e.event("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil}, "usage": usage})
	e.event("message_stop", map[string]any{"type": "message_stop"})
	s.record(ex)
}

// --- OpenAI Responses ---

type openaiReq struct {
	Model  string           `json:"model"`
	Stream bool             `json:"stream"`
	Tools  []map[string]any `json:"tools"`
	Input  json.RawMessage  `json:"input"`
	Text   *struct {
		Format *struct {
			Type   string         `json:"type"`
			Schema map[string]any `json:"schema"`
		} `json:"format"`
	} `json:"text"`
}

// side reports a request for structured output (Codex's thread titles):
// not the agent's main loop.
func (q openaiReq) side() bool {
	return q.Text != nil && q.Text.Format != nil && q.Text.Format.Type == "json_schema"
}

// toolNames lists the tools offered: in "tools", and (Codex 0.16x) in
// "additional_tools" input items, namespaces included.
func (q openaiReq) toolNames() []string {
	var out []string
	var walk func(ts []any)
	walk = func(ts []any) {
		for _, x := range ts {
			t, _ := x.(map[string]any)
			if n, ok := t["name"].(string); ok && t["type"] != "namespace" {
				out = append(out, n)
			} else if ty, ok := t["type"].(string); ok && ty != "namespace" {
				out = append(out, ty)
			}
			if sub, ok := t["tools"].([]any); ok {
				walk(sub)
			}
		}
	}
	for _, t := range q.Tools {
		walk([]any{t})
	}
	var items []map[string]any
	json.Unmarshal(q.Input, &items)
	for _, it := range items {
		if it["type"] == "additional_tools" {
			if ts, ok := it["tools"].([]any); ok {
				walk(ts)
			}
		}
	}
	return out
}

func (q openaiReq) lastUser() string {
	var s string
	if json.Unmarshal(q.Input, &s) == nil {
		return clip(s)
	}
	var items []struct {
		Type    string          `json:"type"`
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	json.Unmarshal(q.Input, &items)
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		if it.Type == "function_call_output" || it.Type == "local_shell_call_output" || it.Type == "custom_tool_call_output" {
			return "[tool_result]"
		}
		if it.Role != "user" {
			continue
		}
		var parts []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		json.Unmarshal(it.Content, &parts)
		var txt []string
		for _, p := range parts {
			if p.Type == "input_text" && !strings.HasPrefix(p.Text, "<") {
				txt = append(txt, p.Text)
			}
		}
		if len(txt) > 0 {
			return clip(strings.Join(txt, " "))
		}
	}
	return ""
}

func (s *Server) openai(w http.ResponseWriter, r *http.Request) {
	ex := Exchange{Provider: OpenAI, Path: r.URL.Path, Started: time.Now()}
	var q openaiReq
	if err := s.readBody(r, OpenAI, &q); err != nil {
		ex.Status = http.StatusBadRequest
		s.record(ex)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"type": "invalid_request_error", "message": "fake model API: " + err.Error()}})
		return
	}
	names := q.toolNames()
	ex.Model, ex.Stream, ex.Main, ex.LastUser = q.Model, q.Stream, !q.side(), q.lastUser()
	turn, i := s.take(OpenAI, ex.Main)
	ex.Turn = i
	if err := wait(r, turn.Delay); err != nil {
		ex.Status = 499
		s.record(ex)
		return
	}
	if turn.Error != nil {
		ex.Status = turn.Error.Status
		s.record(ex)
		writeJSON(w, turn.Error.Status, map[string]any{"error": map[string]any{"type": "server_error", "code": nil, "message": turn.Error.Message}})
		return
	}
	model := q.Model
	if turn.Model != "" {
		model = turn.Model
	}
	text := turn.Text
	if text == "" && turn.Tool == nil {
		text = "OK."
		if q.side() {
			b, _ := json.Marshal(fromSchema(q.Text.Format.Schema))
			text = string(b)
		}
	}
	u := turn.Usage
	// OpenAI counts cached input inside input_tokens.
	usage := map[string]any{
		"input_tokens":          u.Input + u.CacheRead,
		"input_tokens_details":  map[string]any{"cached_tokens": u.CacheRead},
		"output_tokens":         u.Output,
		"output_tokens_details": map[string]any{"reasoning_tokens": 0},
		"total_tokens":          u.Input + u.CacheRead + u.Output,
	}
	rid := s.id("resp_fake")
	var items []map[string]any
	if text != "" {
		items = append(items, map[string]any{"id": s.id("msg_fake"), "type": "message", "status": "completed", "role": "assistant",
			"content": []any{map[string]any{"type": "output_text", "text": text, "annotations": []any{}}}})
	}
	if turn.Tool != nil {
		name, input := pickTool(OpenAI, turn.Tool, names)
		ex.Tool = name
		callID := s.id("call_fake")
		switch name {
		case "exec":
			items = append(items, map[string]any{"id": s.id("ctc_fake"), "type": "custom_tool_call", "status": "completed", "call_id": callID,
				"name": name, "input": input["js"]})
		case "local_shell":
			items = append(items, map[string]any{"id": s.id("lsh_fake"), "type": "local_shell_call", "status": "completed", "call_id": callID,
				"action": map[string]any{"type": "exec", "command": input["command"]}})
		default:
			args, _ := json.Marshal(input)
			items = append(items, map[string]any{"id": s.id("fc_fake"), "type": "function_call", "status": "completed", "call_id": callID,
				"name": name, "arguments": string(args)})
		}
	}
	created := time.Now().Unix()
	resp := func(status string, out []map[string]any, usage any) map[string]any {
		return map[string]any{"id": rid, "object": "response", "created_at": created, "status": status, "model": model,
			"output": out, "usage": usage}
	}
	ex.Usage, ex.Status = u, http.StatusOK
	if !q.Stream {
		writeJSON(w, http.StatusOK, resp("completed", items, usage))
		s.record(ex)
		return
	}
	e := newSSE(w)
	seq := 0
	ev := func(name string, v map[string]any) {
		v["type"], v["sequence_number"] = name, seq
		seq++
		e.event(name, v)
	}
	ev("response.created", map[string]any{"response": resp("in_progress", []map[string]any{}, nil)})
	ev("response.in_progress", map[string]any{"response": resp("in_progress", []map[string]any{}, nil)})
	for oi, it := range items {
		if it["type"] == "message" {
			id := it["id"]
			ev("response.output_item.added", map[string]any{"output_index": oi, "item": map[string]any{"id": id, "type": "message", "status": "in_progress", "role": "assistant", "content": []any{}}})
			ev("response.content_part.added", map[string]any{"item_id": id, "output_index": oi, "content_index": 0, "part": map[string]any{"type": "output_text", "text": "", "annotations": []any{}}})
			for _, c := range chunks(text) {
				ev("response.output_text.delta", map[string]any{"item_id": id, "output_index": oi, "content_index": 0, "delta": c})
			}
			ev("response.output_text.done", map[string]any{"item_id": id, "output_index": oi, "content_index": 0, "text": text})
			ev("response.content_part.done", map[string]any{"item_id": id, "output_index": oi, "content_index": 0, "part": map[string]any{"type": "output_text", "text": text, "annotations": []any{}}})
		} else {
			ev("response.output_item.added", map[string]any{"output_index": oi, "item": it})
		}
		ev("response.output_item.done", map[string]any{"output_index": oi, "item": it})
	}
	ev("response.completed", map[string]any{"response": resp("completed", items, usage)})
	s.record(ex)
}

// --- Gemini API ---

type geminiReq struct {
	GenerationConfig *struct {
		ResponseJSONSchema map[string]any `json:"responseJsonSchema"`
		ResponseSchema     map[string]any `json:"responseSchema"`
	} `json:"generationConfig"`
	Contents []struct {
		Role  string `json:"role"`
		Parts []struct {
			Text             string         `json:"text"`
			FunctionResponse map[string]any `json:"functionResponse"`
		} `json:"parts"`
	} `json:"contents"`
	Tools []struct {
		FunctionDeclarations []struct {
			Name string `json:"name"`
		} `json:"functionDeclarations"`
	} `json:"tools"`
}

func (q geminiReq) lastUser() string {
	for i := len(q.Contents) - 1; i >= 0; i-- {
		c := q.Contents[i]
		if c.Role != "user" && c.Role != "" {
			continue
		}
		var txt []string
		for _, p := range c.Parts {
			if p.FunctionResponse != nil {
				return "[tool_result]"
			}
			if p.Text != "" {
				txt = append(txt, p.Text)
			}
		}
		if len(txt) > 0 {
			return clip(strings.Join(txt, " "))
		}
	}
	return ""
}

func (s *Server) gemini(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	model := p[strings.LastIndex(p, "/models/")+len("/models/"):]
	method := ""
	if i := strings.LastIndexByte(model, ':'); i >= 0 {
		model, method = model[:i], model[i+1:]
	}
	ex := Exchange{Provider: Gemini, Path: p, Model: model, Started: time.Now(), Stream: method == "streamGenerateContent"}
	var q geminiReq
	if err := s.readBody(r, Gemini, &q); err != nil {
		ex.Status = http.StatusBadRequest
		s.record(ex)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": 400, "status": "INVALID_ARGUMENT", "message": "fake model API: " + err.Error()}})
		return
	}
	var names []string
	for _, t := range q.Tools {
		for _, f := range t.FunctionDeclarations {
			names = append(names, f.Name)
		}
	}
	ex.Main, ex.LastUser = len(names) > 0, q.lastUser()
	turn, i := s.take(Gemini, ex.Main)
	ex.Turn = i
	if err := wait(r, turn.Delay); err != nil {
		ex.Status = 499
		s.record(ex)
		return
	}
	if turn.Error != nil {
		ex.Status = turn.Error.Status
		s.record(ex)
		status := "INTERNAL"
		switch turn.Error.Status {
		case 429:
			status = "RESOURCE_EXHAUSTED"
		case 400:
			status = "INVALID_ARGUMENT"
		case 503:
			status = "UNAVAILABLE"
		}
		writeJSON(w, turn.Error.Status, map[string]any{"error": map[string]any{"code": turn.Error.Status, "status": status, "message": turn.Error.Message}})
		return
	}
	if turn.Model != "" {
		model = turn.Model
	}
	text := turn.Text
	if text == "" && turn.Tool == nil {
		text = "OK."
		if g := q.GenerationConfig; g != nil && (g.ResponseJSONSchema != nil || g.ResponseSchema != nil) {
			// Gemini CLI's side requests (routing, next speaker) want JSON
			// in their schema.
			sch := g.ResponseJSONSchema
			if sch == nil {
				sch = g.ResponseSchema
			}
			b, _ := json.Marshal(fromSchema(sch))
			text = string(b)
		}
	}
	u := turn.Usage
	usage := map[string]any{
		"promptTokenCount":        u.Input + u.CacheRead,
		"candidatesTokenCount":    u.Output,
		"totalTokenCount":         u.Input + u.CacheRead + u.Output,
		"cachedContentTokenCount": u.CacheRead,
	}
	var parts []map[string]any
	if text != "" {
		parts = append(parts, map[string]any{"text": text})
	}
	if turn.Tool != nil {
		name, input := pickTool(Gemini, turn.Tool, names)
		ex.Tool = name
		parts = append(parts, map[string]any{"functionCall": map[string]any{"name": name, "args": input}})
	}
	final := map[string]any{
		"candidates":    []any{map[string]any{"content": map[string]any{"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}},
		"usageMetadata": usage,
		"modelVersion":  model,
		"responseId":    s.id("gem_fake"),
	}
	ex.Usage, ex.Status = u, http.StatusOK
	if !ex.Stream {
		writeJSON(w, http.StatusOK, final)
		s.record(ex)
		return
	}
	e := newSSE(w)
	// Text arrives in pieces; the last chunk carries the function call,
	// the finish reason and the usage.
	if text != "" && turn.Tool == nil {
		cs := chunks(text)
		for _, c := range cs[:len(cs)-1] {
			e.event("", map[string]any{"candidates": []any{map[string]any{"content": map[string]any{"role": "model", "parts": []any{map[string]any{"text": c}}}, "index": 0}},
				"modelVersion": model})
		}
		final["candidates"] = []any{map[string]any{"content": map[string]any{"role": "model", "parts": []any{map[string]any{"text": cs[len(cs)-1]}}}, "finishReason": "STOP", "index": 0}}
	}
	e.event("", final)
	s.record(ex)
}

// models answers a model list (some CLIs look before they start).
func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": []any{}, "models": []any{}})
}

// fromSchema makes the smallest value a JSON schema accepts (OpenAPI
// types in upper case too): what a side request asking for structured
// output is answered with.
func fromSchema(sch map[string]any) any {
	typ, _ := sch["type"].(string)
	if en, ok := sch["enum"].([]any); ok && len(en) > 0 {
		return en[0]
	}
	switch strings.ToLower(typ) {
	case "object":
		out := map[string]any{}
		props, _ := sch["properties"].(map[string]any)
		for k, v := range props {
			if m, ok := v.(map[string]any); ok {
				out[k] = fromSchema(m)
			}
		}
		return out
	case "array":
		return []any{}
	case "integer", "number":
		if m, ok := sch["minimum"].(float64); ok {
			return m
		}
		return 1
	case "boolean":
		return false
	case "string":
		return "fake"
	}
	return "fake"
}
