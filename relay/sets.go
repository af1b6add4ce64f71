package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
)

// setsFile holds the local → upstream set mapping next to the outbox, so a
// set created upstream on first use is created once, across restarts.
const setsFile = "upstream-sets.json"

type setMap struct {
	mu   sync.Mutex
	path string
	m    map[int64]int64
}

// openSetMap reads the persisted mapping; configured entries win over it.
func openSetMap(dir string, configured map[int64]int64) (*setMap, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	sm := &setMap{path: filepath.Join(dir, setsFile), m: map[int64]int64{}}
	b, err := os.ReadFile(sm.path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("relay: %w", err)
	}
	if len(b) > 0 {
		var stored map[string]int64
		if err := json.Unmarshal(b, &stored); err != nil {
			return nil, fmt.Errorf("relay: %s: %w (fix or delete it: sets missing from it are created upstream again)", sm.path, err)
		}
		for k, v := range stored {
			id, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("relay: %s: key %q is not a set id", sm.path, k)
			}
			sm.m[id] = v
		}
	}
	changed := false
	for k, v := range configured {
		if sm.m[k] != v {
			sm.m[k], changed = v, true
		}
	}
	if changed {
		return sm, sm.save()
	}
	return sm, nil
}

// save writes the mapping atomically (temp file, fsync, rename).
func (sm *setMap) save() error {
	stored := make(map[string]int64, len(sm.m))
	for k, v := range sm.m {
		stored[strconv.FormatInt(k, 10)] = v
	}
	b, _ := json.MarshalIndent(stored, "", "  ")
	tmp := sm.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, sm.path)
	}
	if err != nil {
		return fmt.Errorf("relay: saving the set mapping: %w", err)
	}
	return nil
}

// upstreamSet maps a local set, creating its upstream twin on first use.
// A crash between the creation and the save leaves a set of that name
// upstream: the retry finds it by name (31013) instead of failing.
func (r *Relay) upstreamSet(ctx context.Context, local int64) (int64, error) {
	sm := r.sets
	sm.mu.Lock()
	defer sm.mu.Unlock()
	if id, ok := sm.m[local]; ok {
		return id, nil
	}
	if r.cfg.LocalSets == nil {
		return 0, fmt.Errorf("relay: set %d has no upstream set configured (--upstream-sets %d=ID)", local, local)
	}
	owner, err := r.cfg.LocalSets.ActionSetOwner(ctx, local)
	if err != nil {
		return 0, fmt.Errorf("relay: local set %d: %w", local, err)
	}
	sets, err := r.cfg.LocalSets.ActionSets(ctx, owner, wxads.ActionSetFilter{ID: local})
	if err != nil || len(sets) == 0 {
		return 0, fmt.Errorf("relay: local set %d: %w", local, errors.Join(err, wxads.ErrNotFound))
	}
	ls := sets[0]
	id, err := r.client.ActionSets.Add(ctx, client.ActionSet{Type: ls.Type, Name: ls.Name,
		Description: ls.Description, WechatAppID: ls.WechatAppID})
	var ae *client.APIError
	if errors.As(err, &ae) && ae.Code == wxads.CodeDuplicateName {
		id, err = r.findUpstream(ctx, ls.Name)
	}
	if err != nil {
		return 0, fmt.Errorf("relay: creating the upstream twin of set %d: %w", local, err)
	}
	r.cfg.Logger.Info("relay: upstream set created", "local_set", local, "upstream_set", id, "name", ls.Name)
	sm.m[local] = id
	return id, sm.save()
}

func (r *Relay) findUpstream(ctx context.Context, name string) (int64, error) {
	list, err := r.client.ActionSets.Get(ctx, client.ActionSetFilter{})
	if err != nil {
		return 0, err
	}
	for _, s := range list {
		if s.Name == name {
			return s.ID, nil
		}
	}
	return 0, fmt.Errorf("upstream refused the name %q as taken but does not list it", name)
}

// sender is the outbox's Sender: the SDK's user_actions/add with the local
// set ids replaced by the upstream ones.
type sender struct{ r *Relay }

func (s *sender) AddBatch(ctx context.Context, actions []client.UserAction, opt client.AddOptions) (*client.BatchResult, error) {
	mapped := make([]client.UserAction, len(actions))
	for i, a := range actions {
		id, err := s.r.upstreamSet(ctx, a.UserActionSetID)
		if err != nil {
			return nil, err
		}
		a.UserActionSetID = id
		mapped[i] = a
	}
	return s.r.client.UserActions.AddBatch(ctx, mapped, opt)
}

// MapSet points a local set at an upstream set from now on (persisted),
// e.g. after the upstream set it was mapped to went away; replay its dead
// letters after.
func (r *Relay) MapSet(local, upstream int64) error {
	r.sets.mu.Lock()
	defer r.sets.mu.Unlock()
	r.sets.m[local] = upstream
	return r.sets.save()
}
