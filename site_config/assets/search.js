/* The search page (docs/search.md): the site's own character n-gram index (villagecat.site.textindex).

   A query is cut into terms (space-separated words are ANDed; "quoted phrases" stay whole), each
   term into its characters' bigrams (a one-character term: its unigram), exactly as the index was
   cut; only the buckets holding those keys are fetched, their posting lists intersected, and the
   exact substring verified on the candidates' records, so every item containing the query is found
   and only those are shown. Everything from the data is put into the page as text (textContent),
   never as HTML. Without JavaScript the page says where else to search.

   First results in one round (a phone on a slow network pays ≈ 0.6 s per round of requests): each
   key's head shard (h/<n>.json) holds its count and its first records themselves. A record that
   contains the query contains each of its keys, so the verified records of a key's head are every
   result numbered up to that head's last number: the first screen is exactly the full index's
   first screen, shown before any posting list or record file is fetched. The posting lists and
   record files then load only when they can change what is shown (a small set, ranked whole; a
   first screen not yet full; "more"). After a search, when idle, p.json (the first records) is
   fetched, so a later query can show its first results before any request. */
(function () {
  "use strict";

  var PAGE = 20;               // results shown per "more"
  var MAX_KEYS = 3;            // bigrams looked up per term (see keysOf)
  var VERIFY_ALL_BYTES = 150000; // verify every candidate when their records fit in this many bytes
  var MAX_HEAD_KEYS = 4;       // head shards fetched for the first screen (one per key)
  var FIRST = 10;              // a first screen of this many results needs nothing more before "more"
  var ENC_DELTA = 0, ENC_RUNS = 1, ENC_BITS = 2, ENC_EXTERNAL = 3;
  var utf8 = new TextEncoder();
  var fromUtf8 = new TextDecoder();

  function norm(s) { return String(s || "").normalize("NFKC").toLowerCase(); }

  function fnv1a(key) {
    var bytes = utf8.encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  function hex(key) {
    var bytes = utf8.encode(key), out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }

  function isSpace(ch) { return /\s/.test(ch); }

  /* The keys of one term: its bigrams (no whitespace inside), or its characters when it has none. */
  function keysOf(term) {
    var cps = Array.from(term), keys = [], seen = {};
    function add(k) { if (!seen[k]) { seen[k] = 1; keys.push(k); } }
    for (var i = 0; i + 1 < cps.length; i++) {
      if (!isSpace(cps[i]) && !isSpace(cps[i + 1])) { add(cps[i] + cps[i + 1]); }
    }
    if (!keys.length) { cps.forEach(function (c) { if (!isSpace(c)) { add(c); } }); }
    // A long term needs only a few of its bigrams to narrow the candidates: the exact substring is
    // verified on each record anyway, and each bigram of a common word can be a 62 KB bitmap at
    // national size. First, middle and last keep the set small and the bytes bounded.
    if (keys.length > MAX_KEYS) { keys = [keys[0], keys[Math.floor((keys.length - 1) / 2)], keys[keys.length - 1]]; }
    return keys;
  }

  /* "a b" → two words (AND); "\"a b\"" → one phrase. Returns [{s, quoted}], normalised. */
  function parse(q) {
    var terms = [], seen = {};
    function add(s, quoted) {
      s = s.trim();
      if (s && !seen[s]) { seen[s] = 1; terms.push({ s: s, quoted: quoted }); }
    }
    var rest = norm(q).replace(/["\u201c\u201d\u300c\u300d]([^"\u201c\u201d\u300c\u300d]*)["\u201c\u201d\u300c\u300d]/g,
      function (_, p) { add(p.replace(/\s+/g, " "), true); return " "; });
    rest.replace(/["\u201c\u201d\u300c\u300d]/g, " ").split(/\s+/).forEach(function (w) { add(w, false); });
    return terms;
  }

  function Engine(root) {
    this.root = root;
    this.meta = null;
    this.cache = {};
    this.recs = {};      // record number → record, from head shards, p.json and record files
    this.shards = {};    // head shard number → its keys' [count, laws, head numbers], once loaded
    this.prefixN = 0;    // records 0 … prefixN − 1 are all in this.recs (p.json)
    this.inflight = 0;
  }

  Engine.prototype.get = function (path, kind) {
    var self = this;
    if (!this.cache[path]) {
      self.inflight++;
      this.cache[path] = fetch(this.root + "searchindex/" + path).then(function (r) {
        if (!r.ok) { throw new Error("search index: " + path + " " + r.status); }
        return kind === "json" ? r.json() : r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
      this.cache[path].then(function () { self.inflight--; }, function () { self.inflight--; delete self.cache[path]; });
    }
    return this.cache[path];
  };

  /* A record from a head shard or p.json: [item?, id, url or "", seq, text, category, law numbers,
     basis, list ref]; the list ref points into the file's table of [region, level, kind, list title]. */
  Engine.prototype.compact = function (row, n, lists) {
    var l = lists[row[8]] || ["", "", "", ""], kind = row[0] ? "item" : "law";
    return this.complete({ n: n, kind: kind, id: row[1], url: row[2] || (kind === "law" ? "laws/" : "items/") + row[1] + "/",
                           region: l[0], level: l[1], kindName: l[2], list: l[3], seq: row[3], text: row[4],
                           category: row[5], lawNumbers: row[6] || [], basis: row[7] });
  };

  /* Fill in an item's legal basis (law titles from meta.json) and the normalised fields. */
  Engine.prototype.complete = function (r) {
    var titles = this.meta.law_titles || [];
    r.laws = r.lawNumbers.map(function (n) { return "《" + titles[n] + "》"; }).join("；");
    r.norm = {};
    FIELDS.forEach(function (f) { r.norm[f] = norm(r[f]); });
    return r;
  };

  Engine.prototype.addRecords = function (d) {
    var self = this;
    Object.keys(d.r).forEach(function (k) { var n = Number(k); if (!self.recs[n]) { self.recs[n] = self.compact(d.r[k], n, d.l); } });
  };

  /* The head shard holding ``key``: resolves to {key: [count, laws, head numbers]}. */
  Engine.prototype.shard = function (n) {
    var self = this, key = "shard:" + n;
    if (!this.cache[key]) {
      this.cache[key] = this.get("h/" + n + ".json", "json").then(function (d) {
        self.addRecords(d);
        self.shards[n] = d.k;
        return d.k;
      });
      this.cache[key].catch(function () { delete self.cache[key]; });
    }
    return this.cache[key];
  };

  Engine.prototype.headOf = function (key) {
    return this.shard(fnv1a(key) % this.meta.heads).then(function (k) { return k[key] || null; });
  };

  /* What is known of ``key`` without a request: its head, null (not in the index), or undefined. */
  Engine.prototype.cachedHead = function (key) {
    var k = this.shards[fnv1a(key) % this.meta.heads];
    return k ? (k[key] || null) : undefined;
  };

  /* p.json: the first records in number order (fetched when idle, after a search). */
  Engine.prototype.prefix = function () {
    var self = this;
    return this.load().then(function () { return self.get("p.json", "json"); }).then(function (d) {
      self.addRecords(d);
      self.prefixN = Math.max(self.prefixN, d.n);
      return d.n;
    });
  };

  Engine.prototype.load = function () {
    var self = this;
    return this.get("meta.json", "json").then(function (m) { self.meta = m; return m; });
  };

  Engine.prototype.bucket = function (n) {
    var self = this;
    var key = "bucket:" + n;
    if (!this.cache[key]) {
      this.cache[key] = this.get("b/" + n + ".bin").then(function (buf) {
        var dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength), map = new Map();
        var count = dv.getUint32(0, true), off = 4;
        for (var i = 0; i < count; i++) {
          var klen = buf[off]; off += 1;
          var k = fromUtf8.decode(buf.subarray(off, off + klen)); off += klen;
          var len = dv.getUint32(off, true); off += 4;
          map.set(k, buf.subarray(off, off + len)); off += len;
        }
        return map;
      });
      this.cache[key].catch(function () { delete self.cache[key]; });
    }
    return this.cache[key];
  };

  /* A posting list: {arr: sorted numbers} or {bits: bitmap over all records}. */
  Engine.prototype.posting = function (key) {
    var self = this, total = this.meta.records;
    return this.bucket(fnv1a(key) % this.meta.buckets).then(function (map) {
      var data = map.get(key);
      if (!data) { return { arr: [] }; }
      if (data[0] === ENC_EXTERNAL) { return self.get("x/" + hex(key) + ".bin").then(function (d) { return decodePosting(d, total); }); }
      return decodePosting(data, total);
    });
  };

  function decodePosting(d, total) {
    var enc = d[0];
    if (enc === ENC_BITS) { return { bits: d.subarray(1) }; }
    var nums = [], v = 0, shift = 0;
    for (var i = 1; i < d.length; i++) {
      var b = d[i];
      v += (b & 0x7f) * Math.pow(2, shift);
      shift += 7;
      if (!(b & 0x80)) { nums.push(v); v = 0; shift = 0; }
    }
    var out = [], prev = -1, j;
    if (enc === ENC_DELTA) {
      for (j = 0; j < nums.length; j++) { prev += nums[j] + 1; out.push(prev); }
    } else {
      var pos = 0;
      for (j = 0; j + 1 < nums.length; j += 2) {
        var start = pos + nums[j];
        for (var n = start; n <= start + nums[j + 1]; n++) { out.push(n); }
        pos = start + nums[j + 1] + 1;
      }
    }
    return { arr: out };
  }

  function hasBit(bits, n) { return (bits[n >> 3] >> (n & 7)) & 1; }

  /* The numbers whose bits are set, in order (a typed array: a bitmap can hold 500k records). */
  function bitsToNumbers(bits, total) {
    var count = 0, i, b;
    for (i = 0; i < bits.length; i++) { for (b = bits[i]; b; b &= b - 1) { count++; } }
    var out = new Uint32Array(count), k = 0;
    for (i = 0; i < bits.length; i++) {
      b = bits[i];
      if (!b) { continue; }
      for (var j = 0; j < 8; j++) { if ((b >> j) & 1) { var n = i * 8 + j; if (n < total) { out[k++] = n; } } }
    }
    return k === count ? out : out.subarray(0, k);
  }

  function intersect(list, total) {
    var arrs = list.filter(function (p) { return p.arr; }).sort(function (a, b) { return a.arr.length - b.arr.length; });
    var bits = list.filter(function (p) { return p.bits; });
    var base;
    if (arrs.length) {
      base = arrs[0].arr;
    } else {
      var and = bits[0].bits;
      if (bits.length > 1) {
        and = new Uint8Array(bits[0].bits);
        bits.slice(1).forEach(function (p) { for (var i = 0; i < and.length; i++) { and[i] &= p.bits[i]; } });
      }
      return bitsToNumbers(and, total);
    }
    arrs.slice(1).forEach(function (p) {
      var other = p.arr, out = [], j = 0;
      for (var k = 0; k < base.length; k++) {
        while (j < other.length && other[j] < base[k]) { j++; }
        if (j < other.length && other[j] === base[k]) { out.push(base[k]); }
      }
      base = out;
    });
    bits.forEach(function (p) { base = base.filter(function (n) { return hasBit(p.bits, n); }); });
    return base;
  }

  var FIELDS = ["text", "category", "list", "laws", "basis"];
  var FIELD_NAMES = { text: "事项", category: "类别", list: "清单标题", laws: "法律依据", basis: "依据原文" };

  function recordOf(row, n) {
    return { n: n, kind: row[0], id: row[1], url: row[2], region: row[3], level: row[4], kindName: row[5],
             list: row[6], seq: row[7], text: row[8], category: row[9], lawNumbers: row[10] || [], basis: row[11] };
  }

  /* The records of ``numbers`` (in that order), fetching only the record files of those not yet known. */
  Engine.prototype.records = function (numbers) {
    var self = this, size = this.meta.pack, packs = {};
    numbers = Array.prototype.slice.call(numbers); // may be a typed array (from a bitmap)
    numbers.forEach(function (n) { if (!self.recs[n]) { packs[Math.floor(n / size)] = 1; } });
    return Promise.all(Object.keys(packs).map(function (k) {
      var key = "pack:" + k;
      if (!self.cache[key]) {
        self.cache[key] = self.get("r/" + k + ".json", "json").then(function (rows) {
          rows.forEach(function (row, i) {
            var n = Number(k) * size + i;
            if (!self.recs[n]) { self.recs[n] = self.complete(recordOf(row, n)); }
          });
        });
        self.cache[key].catch(function () { delete self.cache[key]; });
      }
      return self.cache[key];
    })).then(function () { return numbers.map(function (n) { return self.recs[n]; }); });
  };

  /* Does the record contain every term (and where)? Returns null or the sort key.

     Rank tiers: 0 a law whose title holds the query (a law's name finds its page first); then items
     whose own text holds the exact phrase (1), or every term (2); then items resting on a law whose
     title holds the phrase (3); then the phrase anywhere else, list title or category (4); then the
     terms spread over fields (5). Within a tier, shorter texts first. */
  function verify(rec, terms, exact) {
    var inText = true;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i].s, found = false;
      for (var f = 0; f < FIELDS.length; f++) { if (rec.norm[FIELDS[f]].indexOf(t) >= 0) { found = true; break; } }
      if (!found) { return null; }
      if (rec.norm.text.indexOf(t) < 0 && (rec.kind !== "law" || rec.norm.category.indexOf(t) < 0)) { inText = false; }
    }
    // A one-term query is its own phrase.
    var phrase = exact || terms[0].s;
    var has = function (field) { return rec.norm[field].indexOf(phrase) >= 0; };
    var tier;
    if (rec.kind === "law") { tier = inText ? 0 : 5; }
    else if (has("text")) { tier = 1; }
    else if (inText) { tier = 2; }
    else if (has("laws") || has("basis")) { tier = 3; }
    else if (has("category") || has("list")) { tier = 4; }
    else { tier = 5; }
    return [tier, Array.from(rec.text).length, rec.n];
  }

  function compareKeys(a, b) {
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return a[i] - b[i]; } }
    return 0;
  }

  /* The keys whose head shards make the first screen: round robin over the terms' keys (any one key
     of any term is enough for exactness; more keys make the first screen reach further). */
  function headKeysOf(terms) {
    var per = terms.map(function (t) { return keysOf(t.s); }), out = [], seen = {};
    for (var i = 0; i < MAX_KEYS && out.length < MAX_HEAD_KEYS; i++) {
      per.forEach(function (ks) {
        if (i < ks.length && out.length < MAX_HEAD_KEYS && !seen[ks[i]]) { seen[ks[i]] = 1; out.push(ks[i]); }
      });
    }
    return out;
  }

  function hasFilter(f) { return !!(f && (f.region || f.kind || f.level)); }

  /* A query, parsed once: its terms, its keys for the posting lists, its keys for the heads. */
  function Query(q, filters) {
    this.q = q;
    this.filters = filters || {};
    this.terms = parse(q);
    this.exact = this.terms.length > 1 ? this.terms.map(function (t) { return t.s; }).join("") : "";
    var keys = [], seen = {};
    this.terms.forEach(function (t) { keysOf(t.s).forEach(function (k) { if (!seen[k]) { seen[k] = 1; keys.push(k); } }); });
    this.keys = keys;
    this.headKeys = headKeysOf(this.terms);
    // A term of one or two characters is one key: its posting list is exactly the records containing it.
    this.exactSet = this.terms.every(function (t) { return Array.from(t.s).length <= 2 && !/\s/.test(t.s); });
  }

  /* The first screen from what is known: ``heads`` (one per head key: [count, laws, numbers], null
     for a key not in the index, undefined when its shard is not loaded) and p.json's records.
     Every record containing the query and numbered ≤ ``cover`` is among the known records, so the
     verified ones are exactly the full index's results up to ``cover`` (all of them when a head
     holds its key's whole list). Returns null when nothing is known. */
  Engine.prototype.firstScreen = function (query, heads) {
    var self = this, cover = this.prefixN - 1, whole = false, known = false, bound = null, nums = {};
    for (var i = 0; i < heads.length; i++) {
      var h = heads[i];
      if (h === undefined) { continue; }
      if (h === null) { return new Result(this, query, [], true, true).finish([]); } // a key no record has
      known = true;
      var items = h[0] - h[1];
      bound = bound ? { items: Math.min(bound.items, items), laws: Math.min(bound.laws, h[1]) } : { items: items, laws: h[1] };
      if (h[2].length >= h[0]) { whole = true; } else { cover = Math.max(cover, h[2][h[2].length - 1]); }
      h[2].forEach(function (n) { nums[n] = 1; });
    }
    if (!known && !this.prefixN) { return null; }
    var found = [];
    function check(r) { var key = verify(r, query.terms, query.exact); if (key) { r.key = key; found.push(r); } }
    Object.keys(nums).forEach(function (n) { if (!(n < self.prefixN)) { check(self.recs[n]); } });
    for (var n = 0; n < this.prefixN; n++) { check(this.recs[n]); }
    found.sort(function (a, b) { return a.n - b.n; });
    var res = new Result(this, query, null, false, whole);
    if (whole) { return res.finish(found); }
    res.verified = found;
    res.cover = cover;
    res.bound = bound;
    res.oneKey = query.exactSet && query.terms.length === 1 && !!bound;
    return res;
  };

  /* First results in one round: the head shards of the query's keys (in parallel). */
  Engine.prototype.heads = function (query) {
    var self = this;
    return this.load().then(function () {
      return Promise.all(query.headKeys.map(function (k) { return self.headOf(k); }));
    }).then(function (heads) { return self.firstScreen(query, heads); });
  };

  /* The first screen from what is already here (no request); null if nothing is. */
  Engine.prototype.cached = function (query) {
    var self = this;
    if (!this.meta || hasFilter(query.filters) || !query.terms.length) { return null; }
    return this.firstScreen(query, query.headKeys.map(function (k) { return self.cachedHead(k); }));
  };

  /* The full search: posting lists intersected, candidates verified. ``seed`` (a first screen)
     carries the results already verified up to its cover, so they are not fetched again. */
  Engine.prototype.full = function (query, seed) {
    var self = this;
    return this.load().then(function (meta) {
      var terms = query.terms;
      if (!terms.length) { return new Result(self, query, [], true, true); }
      var keys = query.keys.slice(), f = query.filters;
      if (f.region) { keys.push("\u0001r" + f.region); }
      if (f.kind) { keys.push("\u0001k" + f.kind); }
      if (f.level) { keys.push("\u0001v" + f.level); }
      return Promise.all(keys.map(function (k) { return self.posting(k); })).then(function (lists) {
        var cands = intersect(lists, meta.records);
        // Verify every candidate when their record files are few (counting packs only when that can be so).
        var maxPacks = Math.floor(VERIFY_ALL_BYTES / meta.pack_bytes), all = false;
        if (cands.length <= maxPacks * meta.pack) {
          var packs = {}, distinct = 0;
          for (var i = 0; i < cands.length; i++) {
            var p = Math.floor(cands[i] / meta.pack);
            if (!packs[p] && !self.recs[cands[i]]) { packs[p] = 1; distinct++; }
          }
          all = distinct <= maxPacks;
        }
        var res = new Result(self, query, cands, query.exactSet, all);
        if (all) { return res.verifyAll(); }
        if (seed && seed.verified && !hasFilter(f)) {
          var pos = 0;
          while (pos < cands.length && cands[pos] <= seed.cover) { pos++; }
          res.verified = seed.verified.slice();
          res.pos = pos;
        }
        return res;
      });
    });
  };

  /* For all() and the tests: the full search from a query string. */
  Engine.prototype.search = function (q, filters) {
    return this.full(new Query(q, filters));
  };

  /* Results: ``cands`` the candidate numbers (null for a first screen made from heads), ``verified``
     the records checked to contain the query. When ``all`` (every candidate verified) they are
     ranked as a whole; otherwise in pages: each page is the next verified records in number order
     (laws first, then shorter items), ranked within the page. */
  function Result(engine, query, cands, exactSet, all) {
    this.engine = engine;
    this.query = query;
    this.terms = query.terms;
    this.exact = query.exact;
    this.cands = cands;
    this.exactCount = exactSet;
    this.complete = false; // every candidate verified
    this.all = all;
    this.pos = 0;
    this.shown = 0;
    this.verified = [];
    this.cover = -1;
    this.bound = null;
    this.candidateItems = this.candidateLaws = 0;
    if (cands) {
      var laws = engine.meta ? engine.meta.laws : 0, lawCount = 0;
      while (lawCount < cands.length && cands[lawCount] < laws) { lawCount++; } // laws are numbered first
      this.candidateItems = cands.length - lawCount;
      this.candidateLaws = lawCount;
    }
  }

  Result.prototype.finish = function (recs) {
    recs.sort(function (a, b) { return compareKeys(a.key, b.key); });
    this.verified = recs;
    this.all = true;
    this.complete = true;
    this.pos = this.cands ? this.cands.length : 0;
    return this;
  };

  Result.prototype.verifyAll = function () {
    var self = this;
    return this.engine.records(this.cands).then(function (recs) {
      var keyed = [];
      recs.forEach(function (r) { var k = verify(r, self.terms, self.exact); if (k) { r.key = k; keyed.push(r); } });
      return self.finish(keyed);
    });
  };

  /* Is this the first screen the full index would show (so nothing needs fetching before "more")? */
  Result.prototype.settled = function (k) {
    return this.complete || (this.cands !== null) || this.verified.length >= Math.min(k, FIRST);
  };

  /* Whether the full search should rank the results as a whole: when their record files surely fit
     VERIFY_ALL_BYTES (at most one file per candidate, or the whole index), so the background work
     stays small; a larger set keeps its pages in number order. */
  Result.prototype.mayRerank = function () {
    if (this.complete || this.cands !== null || !this.bound) { return false; }
    var meta = this.engine.meta, files = Math.floor(VERIFY_ALL_BYTES / meta.pack_bytes);
    return this.bound.items + this.bound.laws <= files || Math.ceil(meta.records / meta.pack) <= files;
  };

  /* The next k results (verified), fetching records in candidate order. */
  Result.prototype.next = function (k) {
    var self = this;
    function take() {
      var out = self.verified.slice(self.shown, self.shown + k);
      self.shown += out.length;
      if (!self.all) { out.sort(function (a, b) { return compareKeys(a.key, b.key); }); }
      return Promise.resolve(out);
    }
    if (this.all || this.cands === null) { return take(); }
    function step() {
      if (self.verified.length - self.shown >= k || self.pos >= self.cands.length) {
        if (self.pos >= self.cands.length) { self.complete = true; }
        return take();
      }
      var batch = Array.prototype.slice.call(self.cands, self.pos, self.pos + Math.max(k, 8));
      self.pos += batch.length;
      return self.engine.records(batch).then(function (recs) {
        recs.forEach(function (r) { var key = verify(r, self.terms, self.exact); if (key) { r.key = key; self.verified.push(r); } });
        return step();
      });
    }
    return step();
  };

  Result.prototype.counts = function () {
    if (this.complete) {
      var items = this.verified.filter(function (r) { return r.kind === "item"; }).length;
      return { items: items, laws: this.verified.length - items, exact: true };
    }
    if (this.cands === null) { // a first screen: the smallest count among the keys whose heads were read
      var b = this.bound || { items: this.verified.length, laws: 0 };
      return { items: b.items, laws: b.laws, exact: !!this.oneKey };
    }
    return { items: this.candidateItems, laws: this.candidateLaws, exact: this.exactCount };
  };

  // ---- rendering (text only) ----------------------------------------------------------------

  function el(name, cls, text) {
    var e = document.createElement(name);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  /* Append ``text`` to ``parent`` with every occurrence of the needles wrapped in <mark>. */
  function highlight(parent, text, needles) {
    var n = norm(text);
    var hay = n.length === text.length ? n : text.toLowerCase();
    var marks = [];
    needles.forEach(function (s) {
      if (!s) { return; }
      for (var i = hay.indexOf(s); i >= 0; i = hay.indexOf(s, i + 1)) { marks.push([i, i + s.length]); }
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[1] <= pos) { return; }
      var start = Math.max(m[0], pos);
      if (start > pos) { parent.appendChild(document.createTextNode(text.slice(pos, start))); }
      parent.appendChild(el("mark", null, text.slice(start, m[1])));
      pos = m[1];
    });
    if (pos < text.length) { parent.appendChild(document.createTextNode(text.slice(pos))); }
  }

  function link(root, rec, text) {
    var a = el("a", null, text);
    a.href = root + rec.url;
    return a;
  }

  function renderRecord(root, rec, terms, exact) {
    var needles = terms.map(function (t) { return t.s; });
    if (exact) { needles.push(exact); }
    var li = el("li", "vc-result");
    li.setAttribute("data-id", rec.id);
    li.setAttribute("data-kind", rec.kind);
    if (rec.kind === "law") {
      li.appendChild(el("p", "vc-result-where", (rec.region || "全国") + " · 法律法规"));
      var h = el("p", "vc-result-text");
      var a = link(root, rec, "");
      a.appendChild(document.createTextNode("《"));
      highlight(a, rec.text, needles);
      a.appendChild(document.createTextNode("》"));
      h.appendChild(a);
      li.appendChild(h);
      if (rec.category) {
        var c = el("p", "vc-result-also", "引用形式：");
        highlight(c, rec.category, needles);
        li.appendChild(c);
      }
      return li;
    }
    li.appendChild(el("p", "vc-result-where", [rec.region, rec.level, rec.kindName].filter(Boolean).join(" · ")));
    var list = el("p", "vc-result-list");
    list.appendChild(el("span", "vc-result-list-title", rec.list));
    list.appendChild(document.createTextNode(" · 第" + rec.seq + "项 · 编号 "));
    list.appendChild(link(root, rec, rec.id));
    li.appendChild(list);
    var p = el("p", "vc-result-text");
    var ta = link(root, rec, "");
    highlight(ta, rec.text, needles);
    p.appendChild(ta);
    li.appendChild(p);
    FIELDS.slice(1).forEach(function (f) {
      var value = rec[f];
      if (!value) { return; }
      var hit = needles.some(function (s) { return rec.norm[f].indexOf(s) >= 0 && rec.norm.text.indexOf(s) < 0; });
      if (hit && f !== "list") {
        var also = el("p", "vc-result-also", FIELD_NAMES[f] + "：");
        highlight(also, value, needles);
        li.appendChild(also);
      } else if (hit) {
        list.firstChild.textContent = "";
        highlight(list.firstChild, value, needles);
      }
    });
    return li;
  }

  function describe(res, q, pending) {
    var shown = "“" + q.replace(/["\u201c\u201d]/g, "").trim() + "”";
    if (res.cands === null && !res.bound && !res.complete) { // from p.json alone: no count yet
      return "正在搜索…（先列出已核对含" + shown + "的 " + res.shown + " 条）";
    }
    var c = res.counts(), more = pending ? "正在继续查找。" : "";
    if (!c.items && !c.laws) { return pending ? "正在搜索…" : "没有事项含" + shown + "。"; }
    var laws = c.laws ? "，另有 " + c.laws + " 部法律法规" : "";
    if (c.exact) { return "找到 " + c.items + " 条事项含" + shown + laws + "。" + more; }
    return "含" + shown + "的事项至多 " + c.items + " 条" + laws + "（按字索引的候选；下列每一条都已核对含有该词）。" + more;
  }

  function init() {
    var form = document.getElementById("vc-search");
    if (!form) { return; }
    var root = new URL(form.getAttribute("data-site-root") || "../", window.location.href).href;
    var engine = new Engine(root);
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("vc-search-status");
    var list = document.getElementById("vc-search-results");
    var more = document.getElementById("vc-search-more");
    var details = document.getElementById("vc-filters");
    var selects = { region: form.querySelector("select[name=region]"), kind: form.querySelector("select[name=kind]"),
                    level: form.querySelector("select[name=level]") };
    var fallback = document.getElementById("vc-search-fallback");
    var seq = 0, current = null, facetsLoaded = null;
    form.hidden = false;
    if (fallback) { fallback.hidden = true; }

    function loadFacets() {
      if (!facetsLoaded) {
        facetsLoaded = engine.get("facets.json", "json").then(function (f) {
          function fill(sel, rows, label) {
            var keep = sel.getAttribute("data-want") || sel.value;
            rows.forEach(function (r) {
              var o = el("option", null, label(r));
              o.value = r[0];
              sel.appendChild(o);
            });
            sel.value = keep;
          }
          fill(selects.region, f.regions, function (r) { return r[1] + "（" + r[2] + "，" + r[3] + " 条）"; });
          fill(selects.kind, f.kinds, function (r) { return r[1] + "（" + r[2] + " 条）"; });
          fill(selects.level, f.levels, function (r) { return r[1] + "（" + r[2] + " 条）"; });
        });
      }
      return facetsLoaded;
    }

    function filters() {
      return { region: selects.region.getAttribute("data-want") || selects.region.value,
               kind: selects.kind.getAttribute("data-want") || selects.kind.value,
               level: selects.level.getAttribute("data-want") || selects.level.value };
    }

    var shownIds = "", settledFlag = true, prefetching = null;

    /* Put ``recs`` on the page (replacing the list, unless ``append``); text only. */
    function render(res, recs, mine, stage, pending, append) {
      if (mine !== seq) { return; }
      var ids = recs.map(function (r) { return r.kind + ":" + r.id; }).join("\n");
      if (append) {
        recs.forEach(function (r) { list.appendChild(renderRecord(root, r, res.terms, res.exact)); });
        shownIds += "\n" + ids;
      } else if (ids !== shownIds) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        recs.forEach(function (r) { list.appendChild(renderRecord(root, r, res.terms, res.exact)); });
        shownIds = ids;
      }
      status.textContent = describe(res, input.value, pending);
      more.hidden = pending || (res.complete && res.shown >= res.verified.length);
      var now = performance.now();
      window.vcSearch.renders.push({ q: input.value, stage: stage, ms: now, shown: list.children.length });
      if (!pending) {
        form.setAttribute("data-done", String(mine));
        window.vcSearch.rendered = { q: input.value, ms: now, shown: list.children.length, stage: stage };
      }
    }

    function showPage(res, mine, stage, pending) {
      return res.next(PAGE).then(function (recs) { render(res, recs, mine, stage, pending, false); });
    }

    function showMore(res, mine) {
      more.hidden = true;
      if (res.cands === null && !res.complete) { // a first screen from heads: now the full search
        return engine.full(res.query, res).then(function (full) {
          if (mine !== seq) { return; }
          current = full;
          return full.next(res.shown).then(function (head) {
            return full.next(PAGE).then(function (rest) { render(full, head.concat(rest), mine, "more", false, false); });
          });
        });
      }
      return res.next(PAGE).then(function (recs) { render(res, recs, mine, "more", false, true); });
    }

    /* Run the query in the box. Resolves when its first results (or its answer) are on the page;
       window.vcSearch.settled resolves when nothing more will change what is shown. */
    function run() {
      var mine = ++seq;
      var q = input.value;
      var f = filters();
      var params = new URLSearchParams();
      if (q) { params.set("q", q); }
      Object.keys(f).forEach(function (k) { if (f[k]) { params.set(k, f[k]); } });
      var search = params.toString();
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
      while (list.firstChild) { list.removeChild(list.firstChild); }
      shownIds = "";
      more.hidden = true;
      var query = new Query(q, f);
      if (!query.terms.length) { status.textContent = ""; current = null; return Promise.resolve(); }
      status.textContent = "正在搜索…";
      settledFlag = false;
      var first = null;
      // 1. What is already here (p.json, head shards of earlier queries): no request.
      var early = engine.cached(query);
      if (early && early.verified.length) {
        current = early;
        first = showPage(early, mine, "cache", true);
      }
      // 2. One round: the head shards (or, with filters, the full search).
      var done;
      if (hasFilter(f)) {
        done = engine.full(query).then(function (res) {
          if (mine !== seq) { return; }
          current = res;
          return showPage(res, mine, "full", false);
        });
      } else {
        done = engine.heads(query).then(function (res) {
          if (mine !== seq) { return; }
          // 3. The posting lists and record files only when they can change the first screen.
          var refine = !res.settled(PAGE) || res.mayRerank();
          current = res;
          var shown = showPage(res, mine, "heads", refine);
          if (!refine) { return shown; }
          return shown.then(function () { return engine.full(query, res); }).then(function (full) {
            if (mine !== seq) { return; }
            current = full;
            return showPage(full, mine, "full", false);
          });
        });
      }
      done = done.catch(function (err) {
        if (mine !== seq) { return; }
        status.textContent = "搜索索引加载失败（" + err.message + "）。可以改用下载的数据或 SQLite 文件搜索。";
        if (fallback) { fallback.hidden = false; }
      }).then(function () {
        if (mine !== seq) { return; }
        settledFlag = true;
        // When idle: the first records, so that a later query can show results before any request.
        if (!prefetching) { prefetching = engine.prefix().catch(function () { return 0; }); }
      });
      window.vcSearch.settled = done;
      return first || done;
    }

    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
    Object.keys(selects).forEach(function (k) {
      selects[k].addEventListener("change", function () { selects[k].removeAttribute("data-want"); run(); });
    });
    more.addEventListener("click", function () { if (current) { showMore(current, seq); } });
    if (details) { details.addEventListener("toggle", function () { if (details.open) { loadFacets(); } }); }

    var params = new URLSearchParams(window.location.search);
    var wantFilter = false;
    Object.keys(selects).forEach(function (k) {
      var v = params.get(k);
      if (v) { selects[k].setAttribute("data-want", v); wantFilter = true; }
    });
    if (wantFilter) {
      if (details) { details.open = true; }
      loadFacets().then(function () { Object.keys(selects).forEach(function (k) { selects[k].removeAttribute("data-want"); }); });
    }
    input.value = params.get("q") || "";
    window.vcSearch.run = run;
    window.vcSearch.renders = [];
    /* For benchmarks: nothing running, nothing being fetched, p.json here. */
    window.vcSearch.quiet = function () { return settledFlag && engine.inflight === 0 && (!prefetching || engine.prefixN > 0); };
    window.vcSearch.ready = engine.load().then(function () { window.vcSearch.readyMs = performance.now(); });
    if (input.value) { run(); }
  }

  /* For tests and benchmarks: every result of a query, verified, in rank order. */
  function all(q, filters) {
    var form = document.getElementById("vc-search");
    var root = new URL((form && form.getAttribute("data-site-root")) || "../", window.location.href).href;
    var engine = window.vcSearch.engine || (window.vcSearch.engine = new Engine(root));
    return engine.search(q, filters).then(function (res) {
      return res.next(res.cands.length + res.verified.length + 1).then(function (recs) {
        return { counts: res.counts(), complete: res.complete,
                 results: recs.map(function (r) { return { n: r.n, id: r.id, kind: r.kind, url: r.url, text: r.text,
                                                           list: r.list, region: r.region, key: r.key }; }) };
      });
    });
  }

  window.vcSearch = { parse: parse, keysOf: keysOf, headKeysOf: headKeysOf, fnv1a: fnv1a, all: all, Engine: Engine,
                      Query: Query, PAGE: PAGE };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
