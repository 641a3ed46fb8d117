/* The search page (docs/search.md): the site's own character n-gram index (villagecat.site.textindex).

   A query is cut into terms (space-separated words are ANDed; "quoted phrases" stay whole), each
   term into its characters' bigrams (a one-character term: its unigram), exactly as the index was
   cut; only the buckets holding those keys are fetched, their posting lists intersected, and the
   exact substring verified on the candidates' records, so every item containing the query is found
   and only those are shown. Everything from the data is put into the page as text (textContent),
   never as HTML. Without JavaScript the page says where else to search. */
(function () {
  "use strict";

  var PAGE = 20;               // results shown per "more"
  var MAX_KEYS = 3;            // bigrams looked up per term (see keysOf)
  var VERIFY_ALL_BYTES = 200000; // verify every candidate when their records fit in this many bytes
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
  }

  Engine.prototype.get = function (path, kind) {
    var self = this;
    if (!this.cache[path]) {
      this.cache[path] = fetch(this.root + "searchindex/" + path).then(function (r) {
        if (!r.ok) { throw new Error("search index: " + path + " " + r.status); }
        return kind === "json" ? r.json() : r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
      this.cache[path].catch(function () { delete self.cache[path]; });
    }
    return this.cache[path];
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
    var r = { n: n, kind: row[0], id: row[1], url: row[2], region: row[3], level: row[4], kindName: row[5],
              list: row[6], seq: row[7], text: row[8], category: row[9], laws: null, lawNumbers: row[10] || [],
              basis: row[11] };
    if (!r.lawNumbers.length) { r.laws = ""; }
    r.norm = {};
    FIELDS.forEach(function (f) { r.norm[f] = norm(r[f]); });
    return r;
  }

  Engine.prototype.records = function (numbers) {
    var self = this, size = this.meta.pack, packs = {};
    numbers = Array.prototype.slice.call(numbers); // may be a typed array (from a bitmap)
    numbers.forEach(function (n) { packs[Math.floor(n / size)] = 1; });
    return Promise.all(Object.keys(packs).map(function (k) {
      var key = "pack:" + k;
      if (!self.cache[key]) {
        self.cache[key] = self.get("r/" + k + ".json", "json").then(function (rows) {
          return rows.map(function (row, i) { return recordOf(row, Number(k) * size + i); });
        });
      }
      return self.cache[key];
    })).then(function (lists) {
      var byN = {}, lawNumbers = {};
      lists.forEach(function (l) { l.forEach(function (r) { byN[r.n] = r; }); });
      var recs = numbers.map(function (n) { return byN[n]; });
      // An item's legal basis is stored as the law records' numbers: fetch those (few, cached) and fill it in.
      recs.forEach(function (r) { if (r.kind === "item" && r.laws === null) { r.lawNumbers.forEach(function (n) { lawNumbers[n] = 1; }); } });
      var wanted = Object.keys(lawNumbers).map(Number);
      if (!wanted.length) { return recs; }
      return self.records(wanted).then(function (laws) {
        var title = {};
        laws.forEach(function (l) { title[l.n] = l.text; });
        recs.forEach(function (r) {
          if (r.kind === "item" && r.laws === null) {
            r.laws = r.lawNumbers.map(function (n) { return "《" + title[n] + "》"; }).join("；");
            r.norm.laws = norm(r.laws);
          }
        });
        return recs;
      });
    });
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

  /* Search: resolves to a Result whose next(k) yields verified records in rank order. */
  Engine.prototype.search = function (q, filters) {
    var self = this;
    return this.load().then(function (meta) {
      var terms = parse(q);
      if (!terms.length) { return new Result(self, terms, [], true, true); }
      var keys = [], seen = {};
      terms.forEach(function (t) { keysOf(t.s).forEach(function (k) { if (!seen[k]) { seen[k] = 1; keys.push(k); } }); });
      var f = filters || {};
      if (f.region) { keys.push("\u0001r" + f.region); }
      if (f.kind) { keys.push("\u0001k" + f.kind); }
      if (f.level) { keys.push("\u0001v" + f.level); }
      return Promise.all(keys.map(function (k) { return self.posting(k); })).then(function (lists) {
        var cands = intersect(lists, meta.records);
        // A term of one or two characters is one key: its posting list is exactly the records containing it.
        var exactSet = terms.every(function (t) { return Array.from(t.s).length <= 2 && !/\s/.test(t.s); });
        // Verify every candidate when their record files are few (counting packs only when that can be so).
        var maxPacks = Math.floor(VERIFY_ALL_BYTES / meta.pack_bytes), all = false;
        if (cands.length <= maxPacks * meta.pack) {
          var packs = {}, distinct = 0;
          for (var i = 0; i < cands.length; i++) {
            var p = Math.floor(cands[i] / meta.pack);
            if (!packs[p]) { packs[p] = 1; distinct++; }
          }
          all = distinct <= maxPacks;
        }
        var res = new Result(self, terms, cands, exactSet, all);
        return all ? res.verifyAll() : res;
      });
    });
  };

  function Result(engine, terms, cands, exactSet, all) {
    this.engine = engine;
    this.terms = terms;
    this.exact = terms.length > 1 ? terms.map(function (t) { return t.s; }).join("") : "";
    this.cands = cands;
    this.exactCount = exactSet;
    this.complete = false; // every candidate verified
    this.all = all;
    this.pos = 0;
    this.shown = 0;
    this.verified = [];
    var laws = engine.meta ? engine.meta.laws : 0, lawCount = 0;
    while (lawCount < cands.length && cands[lawCount] < laws) { lawCount++; } // laws are numbered first
    this.candidateItems = cands.length - lawCount;
    this.candidateLaws = cands.length - this.candidateItems;
  }

  Result.prototype.verifyAll = function () {
    var self = this;
    return this.engine.records(this.cands).then(function (recs) {
      var keyed = [];
      recs.forEach(function (r) { var k = verify(r, self.terms, self.exact); if (k) { r.key = k; keyed.push(r); } });
      keyed.sort(function (a, b) { return compareKeys(a.key, b.key); });
      self.verified = keyed;
      self.pos = self.cands.length;
      self.complete = true;
      return self;
    });
  };

  /* The next k results (verified), fetching records in candidate order. */
  Result.prototype.next = function (k) {
    var self = this;
    function step() {
      if (self.verified.length - self.shown >= k || self.pos >= self.cands.length) {
        if (self.pos >= self.cands.length) { self.complete = true; }
        var out = self.verified.slice(self.shown, self.shown + k);
        self.shown += out.length;
        return Promise.resolve(out);
      }
      var batch = Array.prototype.slice.call(self.cands, self.pos, self.pos + Math.max(k, 8));
      self.pos += batch.length;
      return self.engine.records(batch).then(function (recs) {
        var fresh = [];
        recs.forEach(function (r) { var key = verify(r, self.terms, self.exact); if (key) { r.key = key; fresh.push(r); } });
        fresh.sort(function (a, b) { return compareKeys(a.key, b.key); });
        self.verified = self.verified.concat(fresh);
        return step();
      });
    }
    return step();
  };

  Result.prototype.counts = function () {
    if (this.complete || this.exactCount) {
      if (this.complete) {
        var items = this.verified.filter(function (r) { return r.kind === "item"; }).length;
        return { items: items, laws: this.verified.length - items, exact: true };
      }
      return { items: this.candidateItems, laws: this.candidateLaws, exact: true };
    }
    return { items: this.candidateItems, laws: this.candidateLaws, exact: false };
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

  function describe(res, q) {
    var c = res.counts();
    var shown = "“" + q.replace(/["\u201c\u201d]/g, "").trim() + "”";
    if (!c.items && !c.laws) { return "没有事项含" + shown + "。"; }
    var laws = c.laws ? "，另有 " + c.laws + " 部法律法规" : "";
    if (c.exact) { return "找到 " + c.items + " 条事项含" + shown + laws + "。"; }
    return "含" + shown + "的事项至多 " + c.items + " 条" + laws + "（按字索引的候选；下列每一条都已核对含有该词）。";
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

    function showMore(res, mine) {
      more.hidden = true;
      return res.next(PAGE).then(function (recs) {
        if (mine !== seq) { return; }
        recs.forEach(function (r) { list.appendChild(renderRecord(root, r, res.terms, res.exact)); });
        status.textContent = describe(res, input.value);
        more.hidden = res.complete && res.shown >= res.verified.length;
        form.setAttribute("data-done", String(mine));
        window.vcSearch.rendered = { q: input.value, ms: performance.now(), shown: res.shown };
      });
    }

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
      more.hidden = true;
      if (!parse(q).length) { status.textContent = ""; current = null; return Promise.resolve(); }
      status.textContent = "正在搜索…";
      return engine.search(q, f).then(function (res) {
        if (mine !== seq) { return; }
        current = res;
        return showMore(res, mine);
      }).catch(function (err) {
        if (mine !== seq) { return; }
        status.textContent = "搜索索引加载失败（" + err.message + "）。可以改用下载的数据或 SQLite 文件搜索。";
        if (fallback) { fallback.hidden = false; }
      });
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
    if (input.value) { run(); }
  }

  /* For tests and benchmarks: every result of a query, verified, in rank order. */
  function all(q, filters) {
    var form = document.getElementById("vc-search");
    var root = new URL((form && form.getAttribute("data-site-root")) || "../", window.location.href).href;
    var engine = window.vcSearch.engine || (window.vcSearch.engine = new Engine(root));
    return engine.search(q, filters).then(function (res) {
      return res.next(res.cands.length + 1).then(function (recs) {
        return { counts: res.counts(), complete: res.complete,
                 results: recs.map(function (r) { return { id: r.id, kind: r.kind, url: r.url, text: r.text,
                                                           list: r.list, region: r.region, key: r.key }; }) };
      });
    });
  }

  window.vcSearch = { parse: parse, keysOf: keysOf, fnv1a: fnv1a, all: all, Engine: Engine };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
