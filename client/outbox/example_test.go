package outbox_test

import (
	"context"
	"errors"
	"log"
	"log/slog"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
)

// An advertiser's service keeps one outbox next to it: conversions are
// enqueued in the request that saw them and delivered by the sender loop.
func Example() {
	c, err := client.New("wx0123456789abcdef", "0123456789abcdef0123456789abcdef",
		client.WithBaseURL("http://127.0.0.1:8080"))
	if err != nil {
		log.Fatal(err)
	}
	ob, err := outbox.Open("/var/lib/myshop/wxads-outbox", c.UserActions,
		outbox.WithLogger(slog.Default()), outbox.WithRetention(7*24*time.Hour))
	if errors.Is(err, outbox.ErrLocked) {
		log.Fatal("another process is already sending from this outbox: ", err)
	} else if err != nil {
		log.Fatal(err)
	}
	defer ob.Close()
	ctx := context.Background()
	go ob.Run(ctx)

	// In the request handler that saw the order:
	err = ob.Enqueue(ctx, client.UserAction{
		UserActionSetID: 1107,
		URL:             "https://shop.example.com/order/1001",
		ActionTime:      time.Now().Unix(),
		ActionType:      "COMPLETE_ORDER",
		UserID:          client.UserID{WechatAppID: "wx0123456789abcdef", WechatOpenID: "o_user"},
		OuterActionID:   "order_1001",
		ActionParam:     map[string]any{"source": "Biz", "claim_type": 0, "value": 1999},
	})
	if err != nil {
		log.Print("not recorded, tell the caller: ", err) // invalid, or the disk failed
	}

	// Monitoring: delivery lag and dead letters.
	if st, err := ob.Stats(ctx); err == nil {
		if !st.OldestPending.IsZero() {
			log.Printf("delivery lag %v, %d pending", time.Since(st.OldestPending), st.Pending)
		}
		if st.Dead > 0 {
			dead, _ := ob.DeadLetters(ctx, 10)
			for _, d := range dead {
				log.Printf("dead #%d: errcode %d %s", d.ID, d.Code, d.Message)
			}
		}
	}
}
