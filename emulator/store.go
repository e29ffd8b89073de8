package emulator

import (
	"encoding/json"
	"slices"
	"sync"
)

// The store holds every resource of the emulated tenant as collections of
// encoded JSON entities with ids, etags and versions.
//
// Adding an area (calendar, drive, ...) takes four steps:
//
//  1. a collection in store (newCollection with its default order; a
//     groupOf function when lists are per container, as messages are per
//     folder);
//  2. entities built with their Graph default representation in raw (and
//     full, when $select can ask for more), a decoded doc for small
//     collections or a compact indexer for large ones;
//  3. a listSpec per collection endpoint (context URL, page sizes, paging
//     style, known properties, $expand), whose serveList and serveEntity
//     apply the OData options, paging, $select and If-Match;
//  4. a register<Area> function adding the routes with their permissions,
//     called from Server.routes.
//
// Writes replace entities (put) or delete them (remove); both bump the
// collection version, which changesSince reads for delta queries.

// entity is one stored resource.
type entity struct {
	id string
	// part is the partition the entity lives in: the owning mailbox id
	// for Outlook items, "" for tenant-wide resources.
	part string
	// raw is the encoded default representation Graph returns without
	// $select (for Outlook items including "@odata.etag" first).
	raw []byte
	// full, when set, is an encoded superset of raw with every stored
	// property, used for $select (directory objects return a default
	// property set and the rest only on request).
	full []byte
	// doc, when set, is the decoded full document (small collections
	// keep it to evaluate queries without decoding).
	doc map[string]any
	// idx, when set, is a compact index of the properties most queries
	// use (large collections such as messages).
	idx     indexer
	etag    string
	version uint64
}

// indexer is an area's compact index of an entity's query properties.
type indexer interface {
	// fields returns the indexed properties in the decoded-JSON shape.
	fields() map[string]any
}

// tombstone records a deletion, for delta queries.
type tombstone struct {
	id, part string
	// group is the group the entity left (a message's folder), so a
	// delta of one folder reports messages moved out of it.
	group   string
	version uint64
}

// collection is an ordered, versioned set of entities. Readers get an
// immutable snapshot; writers replace it (copy on write), so listing
// 100,000 items never holds a lock while encoding.
type collection struct {
	name string
	// less is the default order of a listing.
	less func(a, b *entity) int
	// indexed names the properties idx.fields() provides; queries that
	// touch others decode raw.
	indexed map[string]bool

	// groupOf, when set, names the group of an entity inside its
	// partition (a message's folder), so views of one group are cached.
	groupOf func(e *entity) string

	mu         sync.RWMutex
	items      []*entity // sorted by less when sorted is true
	sorted     bool
	views      map[[2]string][]*entity // cached (partition, group) views
	results    map[string][]*entity    // cached query results, for paging
	byID       map[string]*entity
	version    uint64
	tombstones []tombstone
}

func newCollection(name string, less func(a, b *entity) int, indexed ...string) *collection {
	c := &collection{name: name, less: less, byID: map[string]*entity{}}
	if len(indexed) > 0 {
		c.indexed = map[string]bool{}
		for _, n := range indexed {
			c.indexed[lower(n)] = true
		}
	}
	return c
}

// put inserts or replaces entities, giving each a new version.
func (c *collection) put(es ...*entity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	items := make([]*entity, len(c.items), len(c.items)+len(es))
	copy(items, c.items)
	for _, e := range es {
		c.version++
		e.version = c.version
		if old, ok := c.byID[e.id]; ok {
			i := slices.Index(items, old)
			if i >= 0 {
				items[i] = e
			}
		} else {
			items = append(items, e)
		}
		c.byID[e.id] = e
	}
	c.items = items
	c.sorted = false
	c.views = nil
	c.results = nil
}

// remove deletes an entity, leaving a tombstone.
func (c *collection) remove(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	if !ok {
		return false
	}
	delete(c.byID, id)
	c.items = slices.DeleteFunc(slices.Clone(c.items), func(x *entity) bool { return x == e })
	c.version++
	group := ""
	if c.groupOf != nil {
		group = c.groupOf(e)
	}
	c.tombstones = append(c.tombstones, tombstone{id: id, part: e.part, group: group, version: c.version})
	c.views = nil
	c.results = nil
	return true
}

// replace puts e in place of the entity with the same id and, when the
// entity changed group (a message moved with an immutable id), leaves a
// tombstone in the old group for its delta.
func (c *collection) replace(e *entity, oldGroup string) {
	c.put(e)
	if c.groupOf == nil || oldGroup == "" || oldGroup == c.groupOf(e) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version++
	c.tombstones = append(c.tombstones, tombstone{id: e.id, part: e.part, group: oldGroup, version: c.version})
}

// changesSince returns the entities of a partition changed after version
// and the deletions after it, with the collection's current version: the
// basis of delta queries.
func (c *collection) changesSince(part string, version uint64) (changed []*entity, deleted []tombstone, now uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, e := range c.items {
		if e.part == part && e.version > version {
			changed = append(changed, e)
		}
	}
	for _, t := range c.tombstones {
		if t.part == part && t.version > version {
			deleted = append(deleted, t)
		}
	}
	return changed, deleted, c.version
}

// get returns the entity with the id.
func (c *collection) get(id string) (*entity, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.byID[id]
	return e, ok
}

// snapshot returns every entity in default order. The slice must not be
// modified.
func (c *collection) snapshot() []*entity {
	c.mu.RLock()
	if c.sorted || c.less == nil {
		items := c.items
		c.mu.RUnlock()
		return items
	}
	c.mu.RUnlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.sorted {
		items := slices.Clone(c.items)
		slices.SortStableFunc(items, c.less)
		c.items = items
		c.sorted = true
	}
	return c.items
}

// view returns the entities of one partition (and, with group != "", one
// group of it) in default order. Views are cached until the next write, so
// paging through a large mailbox costs O(page) per page, not O(mailbox).
func (c *collection) view(part, group string) []*entity {
	key := [2]string{part, group}
	c.mu.RLock()
	v, ok := c.views[key]
	c.mu.RUnlock()
	if ok {
		return v
	}
	version := c.currentVersion()
	all := c.snapshot()
	v = make([]*entity, 0, 16)
	for _, e := range all {
		if e.part == part && (group == "" || c.groupOf != nil && c.groupOf(e) == group) {
			v = append(v, e)
		}
	}
	c.mu.Lock()
	if c.views == nil {
		c.views = map[[2]string][]*entity{}
	}
	if len(c.views) > 256 {
		clear(c.views)
	}
	// Only cache when no write happened meanwhile.
	if c.version == version {
		c.views[key] = v
	}
	c.mu.Unlock()
	return v
}

// cachedResult returns the cached matches of a query, if still valid.
func (c *collection) cachedResult(key string) ([]*entity, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.results[key]
	return r, ok
}

// cacheResult remembers the matches of a query until the next write, so
// following nextLinks through a filtered or sorted listing evaluates the
// query once, not once per page.
func (c *collection) cacheResult(key string, version uint64, r []*entity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return
	}
	if c.results == nil || len(c.results) >= 16 {
		c.results = map[string][]*entity{}
	}
	c.results[key] = r
}

// currentVersion is the collection's version counter.
func (c *collection) currentVersion() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.version
}

// store is the set of collections of the tenant.
type store struct {
	users    *collection
	messages *collection
	folders  *collection
}

func newStore() *store {
	return &store{
		users:    newCollection("users", nil),
		messages: newMessageCollection(),
		folders:  newCollection("mailFolders", nil),
	}
}

// document returns the decoded document of e for query evaluation. With
// full false the compact index may be returned when the collection
// indexes every property the query touches.
func (c *collection) document(e *entity, full bool) map[string]any {
	if e.doc != nil {
		return e.doc
	}
	if !full && e.idx != nil {
		return e.idx.fields()
	}
	src := e.full
	if src == nil {
		src = e.raw
	}
	var m map[string]any
	if err := json.Unmarshal(src, &m); err != nil {
		return map[string]any{}
	}
	return m
}
