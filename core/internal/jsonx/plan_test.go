package jsonx

import (
	"reflect"
	"sync"
	"testing"
)

// Plans made by goroutines at once are made whole before any is used: run
// with -race.
func TestPlansConcurrently(t *testing.T) {
	type fresh struct {
		T    *tree            `json:"t"`
		B    box[box[inner]]  `json:"b"`
		M    map[level]*inner `json:"m"`
		Self []fresh          `json:"self"`
	}
	doc, err := Decode([]byte(`{"t":{"name":"x","kids":[{"name":"y"}]},"b":{"v":{"v":{"a":1}}},"m":{"L1":{"a":2}},"self":[{"self":[]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]fresh, 8)
	for i := range results {
		wg.Go(func() {
			if err := ToGo(doc, &results[i]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range results {
		if !reflect.DeepEqual(results[i], results[0]) || results[i].M[1].A != 2 {
			t.Fatalf("result %d: %+v", i, results[i])
		}
	}

	type another struct {
		F fresh `json:"f"`
		N *another
	}
	v := another{F: results[0], N: &another{}}
	outs := make([]any, 8)
	for i := range outs {
		wg.Go(func() {
			var err error
			if outs[i], err = FromGo(v); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range outs {
		if got, want := string(Marshal(outs[i])), string(Marshal(outs[0])); got != want {
			t.Fatalf("FromGo %d: %s, want %s", i, got, want)
		}
	}
}
