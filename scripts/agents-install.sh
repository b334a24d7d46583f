#!/usr/bin/env bash
# Installs the real agent CLIs that the e2e test runs against a fake model
# API (internal/realagents): pinned versions from the npm registry, into a
# cache folder outside the repository (never committed). Prints the folder;
# $DIR/bin holds claude, codex and gemini.
# Usage: scripts/agents-install.sh [DIR]   (default: $WEZTERM_PARALLEL_AGENTS,
#        else ${XDG_CACHE_HOME:-~/.cache}/wezterm-parallel/agents)
set -euo pipefail
# Any failing command says where, rather than ending the script silently.
trap 'echo "$(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed with exit code $?" >&2' ERR

# The versions the rules in assets/agents.toml were checked against
# (docs/agents.md). Change them together.
CLAUDE_CODE=2.1.328
CODEX=0.169.0
GEMINI_CLI=0.61.0

dir=${1:-${WEZTERM_PARALLEL_AGENTS:-${XDG_CACHE_HOME:-$HOME/.cache}/wezterm-parallel/agents}}
case "$dir" in
  "$(cd "$(dirname "$0")/.." && pwd)"/*) echo "agents-install: $dir is inside the repository; the CLIs must never be committed" >&2; exit 2 ;;
esac
command -v npm >/dev/null || { echo "agents-install: npm is not installed (Node.js 20 with npm is needed for the real-agent e2e test)" >&2; exit 1; }
mkdir -p "$dir/bin"

install() { # name package version
  local name=$1 pkg=$2 ver=$3 prefix="$dir/$1-$3"
  if [ -f "$prefix/.done" ]; then return; fi
  echo "agents-install: $pkg@$ver into $prefix" >&2
  if ! npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$pkg@$ver" >"$dir/$name.npm.log" 2>&1; then
    echo "agents-install: npm could not install $pkg@$ver — is the npm registry reachable? (log: $dir/$name.npm.log)" >&2
    tail -5 "$dir/$name.npm.log" >&2
    exit 1
  fi
  touch "$prefix/.done"
}
install claude @anthropic-ai/claude-code "$CLAUDE_CODE"
install codex @openai/codex "$CODEX"
install gemini @google/gemini-cli "$GEMINI_CLI"

# Claude Code: the platform package's native binary (npm 11 skips the
# postinstall that would copy it over bin/claude.exe).
claude=$(find "$dir/claude-$CLAUDE_CODE/node_modules/@anthropic-ai" -path '*/claude-code-linux-*/claude' -type f | head -1)
[ -n "$claude" ] || { echo "agents-install: no native claude binary for this platform in @anthropic-ai/claude-code@$CLAUDE_CODE" >&2; exit 1; }
ln -sfn "$claude" "$dir/bin/claude"
ln -sfn "$dir/codex-$CODEX/node_modules/.bin/codex" "$dir/bin/codex"
ln -sfn "$dir/gemini-$GEMINI_CLI/node_modules/.bin/gemini" "$dir/bin/gemini"

for b in claude codex gemini; do
  if ! v=$(HOME="$dir" "$dir/bin/$b" --version 2>&1 | head -1); then
    echo "agents-install: $b --version failed: $v" >&2; exit 1
  fi
  echo "agents-install: $b $v" >&2
done
printf 'claude %s\ncodex %s\ngemini %s\n' "$CLAUDE_CODE" "$CODEX" "$GEMINI_CLI" > "$dir/versions"
echo "$dir"
