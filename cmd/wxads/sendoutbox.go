package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/errcode"
)

// viaOutbox stores the actions in the outbox at o.Outbox (on disk when
// Enqueue returns), then delivers them and waits up to o.Wait for every one
// to be acknowledged or refused. What is still pending then stays on disk:
// the next `wxads send --outbox DIR` (or any program opening the outbox)
// delivers it.
func (o *SendOptions) viaOutbox(ctx context.Context, c *client.Client, actions []inputAction, sum *sendSummary) error {
	var mu sync.Mutex
	var bar progress
	ours := map[int64]int{}   // outbox id → line
	fresh := map[int64]bool{} // stored by this run (not held already)
	ob, err := outbox.Open(o.Outbox, c.UserActions, outbox.WithObserver(func(e outbox.Event) {
		mu.Lock()
		defer mu.Unlock()
		if e.Kind == outbox.Enqueued {
			fresh[e.ID] = true
		}
		if _, ok := ours[e.ID]; ok && bar != nil && (e.Kind == outbox.Delivered || e.Kind == outbox.Refused) {
			bar.Add(1)
		}
	}))
	if errors.Is(err, outbox.ErrLocked) {
		return fmt.Errorf("%s: %w: another wxads send or program has it open / 发件箱正被其他进程使用", o.Outbox, err)
	}
	if err != nil {
		return err
	}
	defer ob.Close()

	for start := 0; start < len(actions); start += o.Step {
		part := actions[start:min(start+o.Step, len(actions))]
		for len(part) > 0 {
			ids, err := ob.EnqueueIDs(ctx, userActions(part)...)
			var ve *client.ValidationError
			if errors.As(err, &ve) && ve.Offline && !wholeBatch(ve.Failed) {
				part = sum.refuse(part, ve.Failed)
				continue
			}
			if err != nil {
				return fmt.Errorf("not stored in the outbox from line %d on / 从第 %d 行起未写入发件箱: %w", part[0].Line, part[0].Line, err)
			}
			mu.Lock()
			for i, id := range ids {
				if _, dup := ours[id]; dup {
					sum.Duplicates++ // the same action twice in the input
					continue
				}
				ours[id] = part[i].Line
			}
			mu.Unlock()
			break
		}
	}
	fmt.Fprintf(o.F.IO.ErrOut, "%s: %d → %s\n", bi("stored in the outbox", "已写入发件箱"), len(ours), o.Outbox)

	mu.Lock()
	bar = newProgress(o.F.IO, len(ours), o.F.Now)
	mu.Unlock()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ob.Run(runCtx) }()
	waitCtx, cancel := context.WithTimeout(ctx, o.Wait)
	ferr := ob.Flush(waitCtx)
	cancel()
	stop()
	<-done
	bar.Finish()
	if ferr != nil && !errors.Is(ferr, context.DeadlineExceeded) {
		return ferr
	}
	mu.Lock()
	defer mu.Unlock()
	return o.tally(ctx, ob, ours, fresh, actions, sum)
}

// tally reads back the state of this run's actions: sent (a duplicate if
// the outbox held it before this run), dead (with the platform's errcode)
// or still pending.
func (o *SendOptions) tally(ctx context.Context, ob *outbox.Outbox, ours map[int64]int, fresh map[int64]bool, actions []inputAction, sum *sendSummary) error {
	ids := make([]int64, 0, len(ours))
	for id := range ours {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	byLine := map[int]inputAction{}
	for _, a := range actions {
		byLine[a.Line] = a
	}
	after := int64(0)
	if len(ids) > 0 {
		after = ids[0] - 1
	}
	for len(ids) > 0 {
		page, err := ob.Entries(ctx, outbox.Query{AfterID: after, Limit: 500})
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			after = e.ID
			line, ok := ours[e.ID]
			if !ok {
				continue
			}
			switch e.State {
			case outbox.Sent:
				if fresh[e.ID] {
					sum.Accepted++
				} else {
					sum.Duplicates++
				}
			case outbox.Pending:
				sum.Pending++
			case outbox.Dead:
				_, cn := errcode.Message(e.Code)
				ae := &client.APIError{Code: e.Code, Message: e.Message, MessageCN: cn, RequestID: e.RequestID}
				sum.refuse([]inputAction{byLine[line]}, []client.Failure{{Index: 0, Err: ae}})
			}
		}
		if after >= ids[len(ids)-1] {
			break
		}
	}
	return nil
}
