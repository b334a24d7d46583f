# wezterm-parallel — `make run` runs the app, `make test` runs the tests.

GO        ?= go
BIN       := bin/wezterm-parallel
SIM       := bin/wezterm-sim
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/wezterm-parallel/wezterm-parallel/internal/app.Version=$(VERSION)
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
# Fyne needs cgo with the X11/OpenGL headers; the e2e run needs a virtual display.
BUILD_PKGS := gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev \
              libxinerama-dev libxi-dev libxxf86vm-dev
E2E_PKGS   := xvfb xauth dbus imagemagick
# A -race child process otherwise sleeps 1 s at exit; the tests run many.
export GORACE ?= atexit_sleep_ms=0

.PHONY: all deps e2e-deps build run test e2e vet bench fuzz package clean

all: build

deps:
	@scripts/deps.sh $(BUILD_PKGS)

e2e-deps:
	@scripts/deps.sh $(BUILD_PKGS) $(E2E_PKGS) x11-utils xdotool fonts-noto-cjk

build: deps
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/wezterm-parallel
	$(GO) build -o $(SIM) ./cmd/wezterm-sim

# ARGS are passed to the app, e.g. make run ARGS=doctor
run: build
	./$(BIN) $(ARGS)

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	# internal/ must build everywhere; the window needs cgo, so cross-vet
	# stops there, but for the resident's tray menu on Windows (pure Go
	# there; on macOS systray needs cgo too).
	GOOS=darwin $(GO) vet ./internal/...
	GOOS=windows $(GO) vet ./internal/... ./ui/traymenu

# Every benchmark runs once too: one that no longer works (a rule its
# imitation agent stopped matching) fails the tests, not only make bench.
test: deps vet
	$(GO) test -race -count=1 ./...
	cd internal/earlyenv && $(GO) test -count=1 ./...
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 1x ./...

# The real window under Xvfb; the screenshot lands in dist/e2e/.
e2e: e2e-deps build
	$(GO) build -o bin/sniwatcher ./scripts/sniwatcher
	scripts/e2e.sh $(BIN) dist/e2e

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Short fuzzing of every parser (FUZZTIME per target); the preferences and
# layout targets are seeded with the deeply nested shapes that must be
# refused before decoding; FuzzRecordFiles puts each input in every agent's
# record folder beside a FIFO, a link to /dev/zero, a folder and a loop,
# with lines over the (lowered) line limit.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseList$$' -fuzztime $(FUZZTIME) ./internal/wezterm
	$(GO) test -run '^$$' -fuzz '^FuzzParseListTable$$' -fuzztime $(FUZZTIME) ./internal/wezterm
	$(GO) test -run '^$$' -fuzz '^FuzzScreen$$' -fuzztime $(FUZZTIME) ./internal/sim
	$(GO) test -run '^$$' -fuzz '^FuzzParsePreferences$$' -fuzztime $(FUZZTIME) ./internal/config
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/layout
	$(GO) test -run '^$$' -fuzz '^FuzzParseStat$$' -fuzztime $(FUZZTIME) ./internal/metrics
	$(GO) test -run '^$$' -fuzz '^FuzzQuote$$' -fuzztime $(FUZZTIME) ./internal/textsafe
	$(GO) test -run '^$$' -fuzz '^FuzzParseClaude$$' -fuzztime $(FUZZTIME) ./internal/spend
	$(GO) test -run '^$$' -fuzz '^FuzzParseCodex$$' -fuzztime $(FUZZTIME) ./internal/spend
	$(GO) test -run '^$$' -fuzz '^FuzzParseGemini$$' -fuzztime $(FUZZTIME) ./internal/spend
	$(GO) test -run '^$$' -fuzz '^FuzzParseGeminiLine$$' -fuzztime $(FUZZTIME) ./internal/spend
	$(GO) test -run '^$$' -fuzz '^FuzzParseClaudeCost$$' -fuzztime $(FUZZTIME) ./internal/spend
	$(GO) test -run '^$$' -fuzz '^FuzzParsePrices$$' -fuzztime $(FUZZTIME) ./internal/spend
	$(GO) test -run '^$$' -fuzz '^FuzzGeminiStream$$' -fuzztime $(FUZZTIME) ./internal/spend
	$(GO) test -run '^$$' -fuzz '^FuzzRecordFiles$$' -fuzztime $(FUZZTIME) ./internal/spend
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/snapshot
	$(GO) test -run '^$$' -fuzz '^FuzzParseResurrect$$' -fuzztime $(FUZZTIME) ./internal/snapshot

# fyne package reads FyneApp.toml from the directory it runs in when given
# --exe, so it runs at the root; the check below proves it used our file.
# fyne package also bumps Build in FyneApp.toml; the file is put back so a
# build never edits tracked files.
package: build
	mkdir -p dist
	cp FyneApp.toml dist/.FyneApp.toml.orig
	$(GO) run $(FYNE_TOOL) package --target linux --exe $(BIN) --app-version $(shell sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml); \
	  status=$$?; cp dist/.FyneApp.toml.orig FyneApp.toml; exit $$status
	mv wezterm-parallel.tar.xz dist/
	tar -xJOf dist/wezterm-parallel.tar.xz --wildcards '*.desktop' | grep -q 'GenericName=WezTerm control panel'
	@echo "dist/wezterm-parallel.tar.xz (metadata from FyneApp.toml)"

clean:
	rm -rf bin dist
