package sqlite

import "testing"

func TestChunks(t *testing.T) {
	for n := 0; n <= 300; n++ {
		sum := 0
		for _, c := range chunks(n, maxActionRows) {
			if c < 1 || c > maxActionRows || c&(c-1) != 0 {
				t.Fatalf("chunks(%d) has size %d", n, c)
			}
			if _, ok := actionRowsQuery[c]; !ok {
				t.Fatalf("no prepared statement for %d rows", c)
			}
			sum += c
		}
		if sum != n {
			t.Fatalf("chunks(%d) sums to %d", n, sum)
		}
	}
}
