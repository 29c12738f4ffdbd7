package tmpl

import "sync"

// boundedCache memoises values by source text, up to maxCached entries;
// past that, values are computed and not kept.
type boundedCache struct {
	m  sync.Map
	n  int
	mu sync.Mutex
}

func newBoundedCache() *boundedCache { return &boundedCache{} }

func (c *boundedCache) get(key string, make func() any) any {
	if v, ok := c.m.Load(key); ok {
		return v
	}
	v := make()
	c.mu.Lock()
	if c.n < maxCached {
		c.n++
		c.m.Store(key, v)
	}
	c.mu.Unlock()
	return v
}
