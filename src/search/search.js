// bantin search: answers a query from the index in search/ next to this script.
// It mirrors src/search/text.rs and src/search/query.rs step by step, so the
// page and `bantin search` rank alike (a test holds them equal). No framework,
// no WebAssembly: plain script for cheap phones.
(function () {
  "use strict";

  // ---- text.rs: syllables and their two keys --------------------------------
  var TONES = { "\u0300": "`", "\u0301": "'", "\u0303": "~", "\u0309": "?", "\u0323": "." };
  var TONE_SIGNS = "`'~?.";
  var WORD_START = /[\p{Alphabetic}\p{N}]/u;
  var WORD_PART = /[\p{Alphabetic}\p{N}\p{M}]/u;
  var MARK = /\p{M}/u;

  function lower(word) {
    var out = "";
    for (var c of word) out += c.toLowerCase();
    return out;
  }

  // The [start, end) offsets (in UTF-16 units) of the syllables of text.
  function syllableSpans(text) {
    var spans = [];
    var start = -1;
    var i = 0;
    for (var c of text) {
      var inside = WORD_START.test(c) || (start >= 0 && WORD_PART.test(c));
      if (inside && start < 0) start = i;
      if (!inside && start >= 0) {
        spans.push([start, i]);
        start = -1;
      }
      i += c.length;
    }
    if (start >= 0) spans.push([start, i]);
    return spans;
  }

  function exactKey(word) {
    var base = "";
    var tone = "";
    for (var c of lower(word).normalize("NFD")) {
      if (TONES[c]) tone = TONES[c];
      else base += c;
    }
    return base.normalize("NFC") + tone;
  }

  function foldedKey(word) {
    var out = "";
    for (var c of lower(word).normalize("NFD")) {
      if (MARK.test(c)) continue;
      out += c === "đ" || c === "ð" ? "d" : c;
    }
    return out;
  }

  function syllables(text) {
    return syllableSpans(text).map(function (s) {
      var w = text.slice(s[0], s[1]);
      return { start: s[0], end: s[1], text: w, exact: exactKey(w), folded: foldedKey(w) };
    });
  }

  // text.rs from_telex: "quyeets" -> "quyết"; null if not ASCII letters or itself.
  var TELEX = { s: "\u0301", f: "\u0300", r: "\u0309", x: "\u0303", j: "\u0323",
    dd: "đ", aa: "â", ee: "ê", oo: "ô", aw: "ă", ow: "ơ", uw: "ư", uow: "ươ" };
  function fromTelex(word) {
    if (!/^[a-z]+$/i.test(word)) return null;
    var w = word.toLowerCase(), tone = "";
    if (/[aeiouy].*[sfrxj]$/.test(w)) { tone = TELEX[w.slice(-1)]; w = w.slice(0, -1); }
    var text = w.replace(/uow|dd|aa|ee|oo|aw|ow|uw/g, function (m) { return TELEX[m]; })
      .replace(/([aeiouyăâêôơư])([^aeiouyăâêôơư]*)$/, "$1" + tone + "$2").normalize("NFC");
    return text === word.toLowerCase() ? null : text;
  }

  // The runs of letters and of digits of a syllable, as syllables (a mark goes
  // with the letter before it): "QĐ1" -> "QĐ", "1".
  function letterAndDigitRuns(text, start, end) {
    var spans = [];
    var runStart = start;
    var digits = null;
    var at = start;
    for (var c of text.slice(start, end)) {
      if (!MARK.test(c)) {
        var digit = c >= "0" && c <= "9";
        if (digits !== null && digits !== digit) {
          spans.push([runStart, at]);
          runStart = at;
        }
        digits = digit;
      }
      at += c.length;
    }
    spans.push([runStart, end]);
    return spans.map(function (s) {
      var w = text.slice(s[0], s[1]);
      return { start: s[0], end: s[1], text: w, exact: exactKey(w), folded: foldedKey(w) };
    });
  }

  // ---- index.rs: names and bytes ---------------------------------------------
  var SHARD_PREFIX_CHARS = 2;
  var PREFIX_KEYS = 10;
  var NAMES_PER_FILE = 64;
  // Hits the page shows: as many as `bantin search` by default.
  var PAGE_HITS = 10;

  function shardPrefix(folded) {
    return Array.from(folded).slice(0, SHARD_PREFIX_CHARS).join("");
  }

  function fileKey(folded) {
    if (/^[\x00-\x7f]*$/.test(folded)) return folded;
    var hex = "u";
    for (var b of new TextEncoder().encode(folded)) hex += (b < 16 ? "0" : "") + b.toString(16);
    return hex;
  }

  function fnv1a32(text) {
    var hash = 0x811c9dc5;
    for (var b of new TextEncoder().encode(text)) {
      hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  var TITLE = 1, SUMMARY = 2, BODY = 4, NUMBER = 8, ATTACHMENT = 16;
  var FIELDS = [TITLE, SUMMARY, BODY, NUMBER, ATTACHMENT];

  // A word of a document's number counts as the number alone.
  function fieldWeight(fields, numbered) {
    if (fields & NUMBER) return numbered ? 30 : fieldWeight((fields & ~NUMBER) | TITLE, numbered);
    return (fields & TITLE ? 10 : 0) + (fields & SUMMARY ? 3 : 0) + (fields & BODY ? 1 : 0) +
      (fields & ATTACHMENT ? 1 : 0);
  }

  // Keys with their postings: [[key, Map(doc -> fields)], ...].
  function decodeEntries(bytes, docs) {
    var at = 0;
    function varint() {
      var value = 0, scale = 1;
      for (;;) {
        if (at >= bytes.length) throw new Error("damaged index file");
        var b = bytes[at++];
        value += (b & 0x7f) * scale;
        if (b < 0x80) return value;
        scale *= 128;
      }
    }
    var decoder = new TextDecoder();
    var entries = [];
    var count = varint();
    for (var n = 0; n < count; n++) {
      var len = varint();
      var key = decoder.decode(bytes.subarray(at, at + len));
      at += len;
      var postings = new Map();
      var fields = varint();
      FIELDS.forEach(function (field) {
        if (!(fields & field)) return;
        var head = varint();
        if (head % 2 === 1) {
          var size = Math.ceil(docs / 8);
          for (var i = 0; i < size; i++) {
            var byte = bytes[at + i];
            for (var bit = 0; bit < 8; bit++) {
              if (byte & (1 << bit)) {
                var d = i * 8 + bit;
                postings.set(d, (postings.get(d) || 0) | field);
              }
            }
          }
          at += size;
        } else {
          var doc = 0;
          for (var k = 0; k < (head - head % 2) / 2; k++) {
            doc += varint();
            postings.set(doc, (postings.get(doc) || 0) | field);
          }
        }
      });
      entries.push([key, postings]);
    }
    if (at !== bytes.length) throw new Error("damaged index file");
    return entries;
  }

  // ---- query.rs: the ranking --------------------------------------------------
  function Reader(base) {
    this.base = base;
    this.cache = new Map();
    this.files = [];
  }
  Reader.prototype.read = function (path) {
    var self = this;
    if (!self.cache.has(path)) {
      self.cache.set(path, fetch(self.base + path).then(function (r) {
        if (!r.ok) throw new Error("cannot read the search index file " + path);
        return r.arrayBuffer();
      }).then(function (buffer) {
        self.files.push([path, buffer.byteLength]);
        return new Uint8Array(buffer);
      }));
    }
    return self.cache.get(path);
  };
  Reader.prototype.json = function (path) {
    return this.read(path).then(function (bytes) {
      return JSON.parse(new TextDecoder().decode(bytes));
    });
  };

  function isLoneLetter(folded) {
    var chars = Array.from(folded);
    return chars.length === 1 && /\p{Alphabetic}/u.test(chars[0]);
  }

  function toneMatches(variant, queryExact, whole) {
    if (whole) return variant === queryExact;
    var letters = queryExact;
    while (letters && TONE_SIGNS.indexOf(letters[letters.length - 1]) >= 0) letters = letters.slice(0, -1);
    var tone = queryExact.slice(letters.length);
    return variant.startsWith(letters) && (tone === "" || variant.endsWith(tone));
  }

  function matchingKeys(shard, folded, asPrefix) {
    shard = shard.words;
    var lo = 0, hi = shard.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (shard[mid][0] < folded) lo = mid + 1;
      else hi = mid;
    }
    var keys = [], longer = [];
    for (var i = lo; i < shard.length && shard[i][0].startsWith(folded); i++) {
      if (shard[i][0] === folded) keys.push(shard[i]);
      else if (asPrefix) longer.push(shard[i]);
    }
    longer.sort(function (a, b) { return b[2] - a[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); });
    return keys.concat(longer.slice(0, PREFIX_KEYS));
  }

  // Answers query with at most limit hits, best first: {hits, files, words}.
  // scope "documents" looks through documents of the register only.
  async function search(base, query, limit, scope) {
    var reader = new Reader(base);
    var manifest = await reader.json("manifest.json");
    if (manifest.version !== 4) throw new Error("the search index is of another version");
    // Prefix -> the hash naming its shard.
    var shardNames = new Map();
    manifest.shards.split(" ").forEach(function (s) {
      var dot = s.lastIndexOf(".");
      if (dot >= 0) shardNames.set(s.slice(0, dot), s.slice(dot + 1));
    });
    async function isKnown(folded, asPrefix) {
      var prefix = shardPrefix(folded);
      return shardNames.has(prefix) && matchingKeys(await reader.json("dict/" + fileKey(prefix) + "." +
        shardNames.get(prefix) + ".json"), folded, asPrefix).length > 0;
    }
    // Telex typed with the input method off, where the index knows only that.
    // Full-width forms made ASCII, the Icelandic Ð made Đ (text.rs: query_char).
    query = query.replace(/[\uff01-\uff5e]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/Ð/g, "Đ").replace(/ð/g, "đ").normalize("NFC");
    var typed = syllables(query), meant = "", from = 0;
    for (var t = 0; t < typed.length; t++) {
      var telex = fromTelex(typed[t].text), last = t + 1 === typed.length;
      if (telex === null || await isKnown(typed[t].folded, last) || !(await isKnown(foldedKey(telex), last))) continue;
      meant += query.slice(from, typed[t].start) + telex;
      from = typed[t].end;
    }
    query = meant + query.slice(from);
    var words = syllables(query);
    // A last word of one letter is still being typed, and too short to stand for
    // every word it begins: the words before it answer alone.
    if (words.length > 1 && isLoneLetter(words[words.length - 1].folded)) words.pop();
    // Letters run into digits ("qđ1/2025", "nd30") that no word of the index
    // stands for: readers leave out the space between a code and its number.
    // Such a word is read as its runs ("qđ 1").
    var read = [];
    for (var r = 0; r < words.length; r++) {
      var runs = letterAndDigitRuns(query, words[r].start, words[r].end);
      if (runs.length > 1) {
        var runAsPrefix = r + 1 === words.length && Array.from(words[r].folded).length >= 2;
        if (!(await isKnown(words[r].folded, runAsPrefix))) {
          read.push.apply(read, runs);
          continue;
        }
      }
      read.push(words[r]);
    }
    words = read;
    var numbered = words.some(function (w) { return /^[0-9]/.test(w.folded); });
    var n = Math.max(manifest.docs, 1);
    var firstDocument = Math.min(manifest.articles, manifest.docs);
    var foundIn = [];
    var none = { hits: [], total: 0, files: reader.files, words: words };
    var perWord = [];
    var shards = [];
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      var prefix = shardPrefix(word.folded);
      if (!shardNames.has(prefix)) return none;
      var shard = await reader.json("dict/" + fileKey(prefix) + "." + shardNames.get(prefix) + ".json");
      shards.push(shard);
      var asPrefix = i + 1 === words.length && Array.from(word.folded).length >= 2;
      var toned = word.exact !== word.folded;
      var scores = new Map();
      var fieldsOf = new Map();
      var keys = matchingKeys(shard, word.folded, asPrefix);
      var files = await Promise.all(keys.map(function (k) {
        return reader.read("k/" + fileKey(k[0]) + "." + k[1] + ".bin");
      }));
      for (var j = 0; j < keys.length; j++) {
        var whole = keys[j][0] === word.folded;
        decodeEntries(files[j], manifest.docs).forEach(function (entry) {
          var tone = toned && toneMatches(entry[0], word.exact, whole) ? 3 : 1;
          entry[1].forEach(function (fields, doc) {
            if (scope === "documents" && doc < firstDocument) return;
            var weight = fieldWeight(fields, numbered && whole) * tone * (whole ? 5 : 4);
            if (!(scores.get(doc) >= weight)) scores.set(doc, weight);
            fieldsOf.set(doc, (fieldsOf.get(doc) || 0) | fields);
          });
        });
      }
      var idf = Math.round(100 * Math.log(1 + n / Math.max(scores.size, 1)));
      perWord.push([scores, idf]);
      foundIn.push(fieldsOf);
    }
    if (!perWord.length) return none;
    var totals = new Map();
    perWord[0][0].forEach(function (weight, doc) {
      var total = weight * perWord[0][1];
      for (var k = 1; k < perWord.length; k++) {
        if (!perWord[k][0].has(doc)) return;
        total += perWord[k][0].get(doc) * perWord[k][1];
      }
      totals.set(doc, total);
    });
    if (totals.size) {
      for (var p = 0; p + 1 < words.length; p++) {
        // The pair's buckets are its first syllable's shard's.
        var buckets = shards[p].pairs;
        if (!buckets.length) continue;
        var key = words[p].folded + " " + words[p + 1].folded;
        var bucket = fnv1a32(key) % buckets.length;
        var bytes = await reader.read("b/" + fileKey(shardPrefix(words[p].folded)) + "." + bucket +
          "." + buckets[bucket] + ".bin");
        var found = decodeEntries(bytes, manifest.docs).find(function (e) { return e[0] === key; });
        if (!found) continue;
        var pairIdf = perWord[p][1] + perWord[p + 1][1];
        found[1].forEach(function (fields, doc) {
          if (totals.has(doc)) totals.set(doc, totals.get(doc) + 2 * fieldWeight(fields, numbered) * 5 * pairIdf);
        });
      }
    }
    var ranked = Array.from(totals.entries());
    var total = ranked.length;
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    ranked = ranked.slice(0, limit);
    var chunk = Math.max(manifest.meta_chunk, 1);
    var pages = manifest.names.split(" ");
    var metas = await Promise.all(ranked.map(async function (r) {
      var part = Math.floor(r[0] / chunk);
      var page = Math.floor(part / NAMES_PER_FILE);
      if (!pages[page]) throw new Error("damaged index file");
      var names = await reader.read("names/" + page + "." + pages[page] + ".bin");
      var at = (part % NAMES_PER_FILE) * 4;
      if (at + 4 > names.length) throw new Error("damaged index file");
      var hash = new DataView(names.buffer, names.byteOffset).getUint32(at, true);
      return reader.json("meta/" + part + "." + hash.toString(16).padStart(8, "0") + ".json");
    }));
    var hits = ranked.map(function (r, k) {
      var m = metas[k][r[0] % chunk];
      return {
        url: m[0], title: m[1], date: m[2], category: m[3], summary: m[4], score: r[1],
        kind: r[0] >= firstDocument ? "document" : "article",
        in_attachment: foundIn.every(function (f) { return f.get(r[0]) === ATTACHMENT; })
      };
    });
    return { hits: hits, total: total, files: reader.files, words: words };
  }

  // ---- the search page ----------------------------------------------------------
  // Text with the syllables that match the query wrapped in <mark>, as DOM nodes
  // (never HTML: titles and summaries come from editors).
  function marked(text, words) {
    var fragment = document.createDocumentFragment();
    var at = 0;
    syllables(text).forEach(function (s) {
      var hit = words.some(function (w, i) {
        return s.folded === w.folded ||
          (i + 1 === words.length && Array.from(w.folded).length >= 2 && s.folded.startsWith(w.folded));
      });
      if (!hit) return;
      fragment.append(text.slice(at, s.start));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s.start, s.end);
      fragment.append(mark);
      at = s.end;
    });
    fragment.append(text.slice(at));
    return fragment;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  function start() {
    var form = document.querySelector("form.search-page");
    var input = form && form.querySelector("input[name=q]");
    // "Documents only", on sites with documents.
    var scope = form && form.querySelector("input[name=loai]");
    var out = document.getElementById("ket-qua");
    if (!input || !out) return;
    var base = new URL(".", scriptSrc || location.href).href;
    var texts = out.dataset;
    var latest = 0;
    var timer = 0;

    var shown = PAGE_HITS;

    async function run(query, push, limit) {
      var ticket = ++latest;
      shown = limit || PAGE_HITS;
      var url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      if (scope && scope.checked) url.searchParams.set("loai", scope.value);
      else url.searchParams.delete("loai");
      history[push ? "pushState" : "replaceState"](null, "", url);
      if (!query.trim()) {
        out.replaceChildren();
        return;
      }
      out.setAttribute("aria-busy", "true");
      // On a slow link the first answer takes seconds: say the search is
      // under way (not at once, so that a quick answer does not flicker; not
      // for more of the same hits, which stay where the reader is).
      var waiting = limit ? 0 : setTimeout(function () {
        if (ticket !== latest) return;
        var p = document.createElement("p");
        p.className = "search-status";
        p.textContent = fill(texts.searching || "…", { q: query });
        out.replaceChildren(p);
      }, 400);
      var answer;
      try {
        answer = await search(base, query, shown, scope && scope.checked ? "documents" : "all");
      } catch (e) {
        clearTimeout(waiting);
        if (ticket !== latest) return;
        out.removeAttribute("aria-busy");
        var p = document.createElement("p");
        p.className = "search-error";
        p.textContent = texts.error || String(e);
        out.replaceChildren(p);
        return;
      }
      clearTimeout(waiting);
      if (ticket !== latest) return;
      out.removeAttribute("aria-busy");
      var summary = document.createElement("p");
      summary.className = "search-count";
      summary.textContent = answer.hits.length
        ? fill(texts.found || "{n}", { n: answer.total, q: query })
        : fill(texts.none || "0", { q: query });
      var list = document.createElement("ol");
      list.className = "article-list search-results";
      answer.hits.forEach(function (hit) {
        var li = document.createElement("li");
        var h = document.createElement("h2");
        var a = document.createElement("a");
        a.href = hit.url;
        a.append(marked(hit.title, answer.words));
        h.append(a);
        var meta = document.createElement("p");
        meta.className = "meta";
        meta.textContent = hit.date + " · " + hit.category;
        if (hit.kind === "document") {
          li.className = "search-document";
          var label = document.createElement("span");
          label.className = "search-kind";
          label.textContent = texts.document || "document";
          meta.prepend(label, " · ");
        }
        if (hit.in_attachment) {
          var where = document.createElement("span");
          where.className = "search-in-attachment";
          where.textContent = texts.inAttachment || "attachment";
          meta.append(" · ", where);
        }
        var snippet = document.createElement("p");
        snippet.append(marked(hit.summary, answer.words));
        li.append(h, meta, snippet);
        list.append(li);
      });
      out.replaceChildren(summary, list);
      if (answer.total > answer.hits.length) {
        var more = document.createElement("button");
        more.type = "button";
        more.className = "search-more";
        more.textContent = texts.more || "+";
        more.addEventListener("click", function () {
          var next = answer.hits.length;
          run(query, false, shown + PAGE_HITS).then(function () {
            var link = out.querySelectorAll(".search-results h2 a")[next];
            if (link) link.focus();
          });
        });
        out.append(more);
      }
    }

    var initial = new URL(location.href).searchParams.get("q") || "";
    if (scope) {
      scope.checked = new URL(location.href).searchParams.get("loai") === scope.value;
      scope.addEventListener("change", function () { if (input.value) run(input.value, false); });
    }
    input.value = initial;
    if (initial) run(initial, false);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      run(input.value, true);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, false); }, 200);
    });
  }

  var scriptSrc = document.currentScript && document.currentScript.src;
  window.bantinSearch = { search: search, syllables: syllables };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
