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

// planFor gives one plan per type, whether it finds it among the hot plans,
// in the map, or makes it; the hot plans stop growing at hotPlans.
func TestHotPlans(t *testing.T) {
	types := []reflect.Type{
		reflect.TypeFor[[1]int](), reflect.TypeFor[[2]int](), reflect.TypeFor[[3]int](),
		reflect.TypeFor[[4]int](), reflect.TypeFor[[5]int](), reflect.TypeFor[[6]int](),
	}
	for range hotPlans {
		types = append(types, reflect.ArrayOf(len(types)+1, reflect.TypeFor[string]()))
	}
	first := make([]*plan, len(types))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 3 {
				for _, ty := range types {
					p := planFor(ty)
					if p == nil || p.t != ty {
						t.Errorf("plan of %v: %+v", ty, p)
					}
				}
			}
		})
	}
	wg.Wait()
	for i, ty := range types {
		first[i] = planFor(ty)
		if m, _ := plans.Load(ty); m != first[i] {
			t.Fatalf("plan of %v is not the one kept in the map", ty)
		}
	}
	h := hot.Load()
	if h == nil || len(*h) != hotPlans {
		t.Fatalf("hot plans: %v, want %d", h, hotPlans)
	}
	for _, e := range *h {
		if p, _ := plans.Load(e.t); p != e.p {
			t.Fatalf("hot plan of %v differs from the map's", e.t)
		}
	}
}
