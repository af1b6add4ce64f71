package main

import (
	"cmp"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/wxads/wxads/client"
)

// sendSummary is what `wxads send` did, printed at the end.
type sendSummary struct {
	Total, Accepted, Duplicates int
	Pending                     int    // outbox: still on disk, to be delivered later
	Outbox                      string // outbox directory
	DryRun                      bool
	Refused                     map[int]*refusal // by errcode
	Err                         error            // a request refused as a whole: the upload stopped
	FailedLine                  int              // first line not (known to be) sent
}

// refusal is every action refused with one errcode.
type refusal struct {
	Code              int
	Message, MessageC string
	Hint              string
	Lines             []int
	Count             int
}

// actionIndexRE is the "actions[5]." of a parameter path: an index into one
// request, which means nothing to a person reading line numbers.
var actionIndexRE = regexp.MustCompile(`actions\[[0-9]+\]\.`)

// refuse records failed (indexes into part) and returns the rest of part.
func (s *sendSummary) refuse(part []inputAction, failed []client.Failure) []inputAction {
	if len(failed) == 0 {
		return part
	}
	if s.Refused == nil {
		s.Refused = map[int]*refusal{}
	}
	gone := map[int]bool{}
	for _, f := range failed {
		r := s.Refused[f.Err.Code]
		if r == nil {
			r = &refusal{Code: f.Err.Code, Message: actionIndexRE.ReplaceAllString(f.Err.Message, ""),
				MessageC: actionIndexRE.ReplaceAllString(f.Err.MessageCN, ""), Hint: f.Err.Hint()}
			s.Refused[f.Err.Code] = r
		}
		if f.Index < 0 || f.Index >= len(part) { // the batch as a whole
			r.Count += len(part)
			return nil
		}
		if !gone[f.Index] {
			gone[f.Index] = true
			r.Count++
			r.Lines = append(r.Lines, part[f.Index].Line)
		}
	}
	var rest []inputAction
	for i, a := range part {
		if !gone[i] {
			rest = append(rest, a)
		}
	}
	return rest
}

func (s *sendSummary) refused() int {
	n := 0
	for _, r := range s.Refused {
		n += r.Count
	}
	return n
}

// print writes the summary: counts, then each errcode with its lines,
// message and hint, then what to do if the upload stopped.
func (s *sendSummary) print(w io.Writer) {
	if s.DryRun {
		fmt.Fprintf(w, "%s: %d\n", bi("actions read (dry run, nothing sent)", "读取行为（试运行，未发送）"), s.Total)
		fmt.Fprintf(w, "  %s %d\n", pad(bi("valid", "有效"), 30), s.Total-s.refused())
	} else {
		fmt.Fprintf(w, "%s: %d\n", bi("actions read", "读取行为"), s.Total)
		fmt.Fprintf(w, "  %s %d\n", pad(bi("accepted", "已接收"), 30), s.Accepted)
		fmt.Fprintf(w, "  %s %d\n", pad(bi("duplicates", "重复（已忽略）"), 30), s.Duplicates)
		if s.Pending > 0 {
			fmt.Fprintf(w, "  %s %d\n", pad(bi("pending in outbox", "待发送"), 30), s.Pending)
		}
	}
	fmt.Fprintf(w, "  %s %d\n", pad(bi("refused", "被拒绝"), 30), s.refused())
	codes := make([]*refusal, 0, len(s.Refused))
	for _, r := range s.Refused {
		codes = append(codes, r)
	}
	slices.SortFunc(codes, func(a, b *refusal) int { return cmp.Compare(a.Code, b.Code) })
	for _, r := range codes {
		fmt.Fprintf(w, "    errcode %d ×%d%s: %s", r.Code, r.Count, lineList(r.Lines), r.Message)
		if r.MessageC != "" && r.MessageC != r.Message {
			fmt.Fprintf(w, " / %s", r.MessageC)
		}
		fmt.Fprintln(w)
		if r.Hint != "" {
			fmt.Fprintf(w, "      hint / 提示: %s\n", r.Hint)
		}
	}
	if s.Pending > 0 {
		fmt.Fprintf(w, "%d actions are still pending, safe on disk in %s: run the same command again to deliver them (nothing is stored or counted twice).\n", s.Pending, s.Outbox)
		fmt.Fprintf(w, "%d 条行为仍在发件箱 %s 中等待发送，重新运行同一命令即可（不会重复存储或计数）。\n", s.Pending, s.Outbox)
	}
	if s.Err != nil {
		fmt.Fprintf(w, "stopped at line %d / 已中止于第 %d 行: %s\n", s.FailedLine, s.FailedLine, explain(s.Err))
		fmt.Fprintln(w, bi("Fix the cause and send the same file again: actions already sent are not counted twice.",
			"排除问题后重新发送同一文件即可，已发送的行为不会重复计数。"))
	}
}

// lineList is " (lines 3, 7, 9 …)" for at most five lines.
func lineList(lines []int) string {
	if len(lines) == 0 {
		return ""
	}
	parts := make([]string, 0, 5)
	for i, l := range lines {
		if i == 5 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprint(l))
	}
	word := "line"
	if len(lines) > 1 {
		word = "lines"
	}
	return " (" + word + " " + strings.Join(parts, ", ") + ")"
}

// pad fills s with spaces to width terminal cells (a Chinese character
// takes two), so the numbers of the summary line up.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(width-uniseg.StringWidth(s), 1))
}
