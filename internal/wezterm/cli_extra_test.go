package wezterm

// CLI subcommands the product does not use, kept for the tests that check
// the stand-in answers them as WezTerm does (fidelity, integration): they
// are not linked into the app.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// ActivatePaneDirection focuses the neighbour of pane in direction d.
func (c *Client) ActivatePaneDirection(ctx context.Context, pane PaneID, d Direction) error {
	if err := checkDir(d, true); err != nil {
		return fmt.Errorf("activate-pane-direction: %w", err)
	}
	if err := c.require(ctx, FeatActivatePaneDir); err != nil {
		return err
	}
	_, err := c.cli(ctx, "activate-pane-direction "+id(pane), "activate-pane-direction", "--pane-id", id(pane), string(d))
	return err
}

// GetPaneDirection returns the neighbour of pane in direction d; ok is false
// when there is none.
func (c *Client) GetPaneDirection(ctx context.Context, pane PaneID, d Direction) (PaneID, bool, error) {
	if err := checkDir(d, true); err != nil {
		return 0, false, fmt.Errorf("get-pane-direction: %w", err)
	}
	if err := c.require(ctx, FeatGetPaneDirection); err != nil {
		return 0, false, err
	}
	op := "get-pane-direction " + id(pane)
	out, err := c.cli(ctx, op, "get-pane-direction", "--pane-id", id(pane), string(d))
	if err != nil {
		return 0, false, err
	}
	if strings.TrimSpace(out) == "" {
		return 0, false, nil
	}
	p, err := parsePaneID(op, out)
	return p, err == nil, err
}

// ActivateTab activates a tab.
func (c *Client) ActivateTab(ctx context.Context, t TabTarget) error {
	if err := c.require(ctx, FeatActivateTab); err != nil {
		return err
	}
	args := []string{"activate-tab"}
	switch {
	case t.TabID != nil:
		if t.PaneID != nil || t.Index != nil || t.Relative != nil {
			return fmt.Errorf("activate-tab: a tab id excludes pane, index and relative")
		}
		args = append(args, "--tab-id", id(*t.TabID))
	case t.PaneID == nil:
		return fmt.Errorf("activate-tab: needs a tab id or a pane id")
	case (t.Index == nil) == (t.Relative == nil):
		return fmt.Errorf("activate-tab: needs exactly one of index and relative")
	default:
		args = append(args, "--pane-id", id(*t.PaneID))
		if t.Index != nil {
			args = append(args, "--tab-index="+strconv.Itoa(*t.Index))
		} else {
			args = append(args, "--tab-relative="+strconv.Itoa(*t.Relative))
			if t.NoWrap {
				args = append(args, "--no-wrap")
			}
		}
	}
	_, err := c.cli(ctx, "activate-tab", args...)
	return err
}

// AdjustPaneSize moves a divider by amount cells in d. WezTerm resizes
// around the *active* pane of pane's tab (mux/src/tab.rs adjust_pane_size;
// --pane-id only picks the tab): activate pane first to resize around it.
func (c *Client) AdjustPaneSize(ctx context.Context, pane PaneID, d Direction, amount int) error {
	if err := checkDir(d, false); err != nil {
		return fmt.Errorf("adjust-pane-size: %w", err)
	}
	if amount < 1 {
		return fmt.Errorf("adjust-pane-size: amount %d must be at least 1", amount)
	}
	if err := c.require(ctx, FeatAdjustPaneSize); err != nil {
		return err
	}
	_, err := c.cli(ctx, "adjust-pane-size "+id(pane), "adjust-pane-size", "--pane-id", id(pane),
		"--amount", strconv.Itoa(amount), string(d))
	return err
}

// SetWindowTitle sets the title of window (or of pane's window when window
// is nil).
func (c *Client) SetWindowTitle(ctx context.Context, window *WindowID, pane *PaneID, title string) error {
	if err := c.require(ctx, FeatSetWindowTitle); err != nil {
		return err
	}
	args := []string{"set-window-title"}
	switch {
	case window != nil:
		args = append(args, "--window-id", id(*window))
	case pane != nil:
		args = append(args, "--pane-id", id(*pane))
	default:
		return fmt.Errorf("set-window-title: needs a window id or a pane id")
	}
	_, err := c.cli(ctx, "set-window-title", append(args, "--", title)...)
	return err
}

// TabTarget selects a tab for activate-tab: either TabID, or a position in
// the window of PaneID (Index, negative from the right; or Relative, with
// NoWrap).
type TabTarget struct {
	TabID    *TabID
	PaneID   *PaneID
	Index    *int
	Relative *int
	NoWrap   bool
}
