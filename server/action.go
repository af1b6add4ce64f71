package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
	"github.com/wxads/wxads/ingest"
)

type failedAction struct {
	Index   int    `json:"index"`
	Errcode int    `json:"errcode"`
	Errmsg  string `json:"errmsg"`
}

// postActions is POST /marketing/user_actions/add (SPEC §6.3). The batch is
// atomic unless partial_failure=true; errcode 0 means committed to disk.
func (s *Server) postActions(w http.ResponseWriter, r *http.Request) error {
	validateOnly, err := boolFlag(r, "validate_only")
	if err != nil {
		return err
	}
	partial, err := boolFlag(r, "partial_failure")
	if err != nil {
		return err
	}
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	noteBody(r, body)
	now := s.now()
	batch, err := ingest.Decode(body, now)
	if err != nil {
		return err
	}
	c := callerOf(r)
	return s.ingestBatch(w, r, apiWeChat, batch, now, validateOnly, partial, func(a *wxads.Action, _ int) error {
		return s.ownSet(r, c, a.SetID)
	})
}

// ingestBatch is the core both user_actions/add front ends share (WeChat
// and v3.0): check runs on each decoded action (k its place in batch.Actions;
// an error's Param is relative to the action), then the batch is atomic
// unless partial, stored, forwarded to the relay and answered in env's
// envelope.
func (s *Server) ingestBatch(w http.ResponseWriter, r *http.Request, env api, batch ingest.Batch, now int64,
	validateOnly, partial bool, check func(a *wxads.Action, k int) error) error {
	c := callerOf(r)
	failed := batch.Errors
	kept := batch.Actions[:0]
	for k := range batch.Actions {
		a := &batch.Actions[k]
		if err := check(a, k); err != nil {
			var e *wxads.Error
			if !errors.As(err, &e) {
				return err
			}
			e.Param = fmt.Sprintf("actions[%d].%s", batch.Indexes[k], e.Param)
			failed = append(failed, ingest.IndexError{Index: batch.Indexes[k], Err: e})
			continue
		}
		a.ReceivedTime = now
		kept = append(kept, *a)
	}
	slices.SortFunc(failed, func(x, y ingest.IndexError) int { return x.Index - y.Index })
	noteUpload(r, batch, failed, kept, validateOnly)
	if !partial && len(failed) > 0 {
		return failed[0].Err
	}
	var (
		res wxads.IngestResult
		err error
	)
	if !validateOnly && len(kept) > 0 {
		if res, err = s.cfg.Stores.Ingest(r.Context(), c.adv.ID, kept); err != nil {
			return err
		}
		if err := s.forward(r, c.adv.ID, kept); err != nil {
			return err
		}
	}
	switch {
	case validateOnly && partial:
		return writeData(w, env, map[string]any{"valid": len(kept), "failed": failedJSON(failed)})
	case validateOnly:
		return writeData(w, env, map[string]any{"valid": len(kept)})
	case partial:
		return writeData(w, env, map[string]any{"accepted": res.Accepted, "duplicates": res.Duplicates,
			"failed": failedJSON(failed)})
	}
	return writeData(w, env, nil)
}

func failedJSON(failed []ingest.IndexError) []failedAction {
	out := make([]failedAction, len(failed))
	for i, f := range failed {
		en, _ := errcode.Format(f.Err.Code, f.Err.Args()...)
		out[i] = failedAction{f.Index, f.Err.Code, en}
	}
	return out
}

// ownSet checks that a data source belongs to the caller's advertiser; a set
// of another advertiser is as unknown as a missing one (31011), and costs the
// same: owners never change, so they are cached, but the cache answers only
// the owner's own calls; every other id, another advertiser's or missing,
// runs the one store query, so its timing does not tell them apart.
func (s *Server) ownSet(r *http.Request, c *caller, setID int64) error {
	if owner, ok := s.setOwners.Load(setID); ok && owner.(int64) == c.adv.ID {
		return nil
	}
	owner, err := s.cfg.Stores.ActionSetOwner(r.Context(), setID)
	if errors.Is(err, wxads.ErrNotFound) {
		return wxads.Errorf(wxads.CodeNotAccessible, "user_action_set_id")
	} else if err != nil {
		return err
	}
	s.setOwners.Store(setID, owner)
	if owner != c.adv.ID {
		return wxads.Errorf(wxads.CodeNotAccessible, "user_action_set_id")
	}
	return nil
}

// setParam reads the required user_action_set_id query parameter of a GET
// route and checks the caller's advertiser owns it.
func (s *Server) setParam(r *http.Request) (int64, error) {
	setID, err := queryID(r, "user_action_set_id")
	if err != nil {
		return 0, err
	}
	if setID == 0 {
		return 0, wxads.Errorf(wxads.CodeRequired, "user_action_set_id")
	}
	return setID, s.ownSet(r, callerOf(r), setID)
}

// boolFlag reads an extension flag: absent is false; not a boolean 18009.
func boolFlag(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, wxads.Errorf(wxads.CodeNotInEnum, name, "true, false")
	}
	return b, nil
}
