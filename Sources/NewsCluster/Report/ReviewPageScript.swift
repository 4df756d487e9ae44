/// The review page's script: it inflates the stories' data (`ReviewPageData`), renders story
/// cards in batches as the editor scrolls, filters by searching the data (not the DOM), and
/// keeps the editors' judgements (remove, move, merge, confirm) in `localStorage` under the
/// run's key until they are exported as `judgements.json` (`docs/judgements.schema.json`).
///
/// Rules the script keeps:
/// - Text from the data reaches the DOM only through `textContent` (the `text` and `bdi`
///   helpers); no `innerHTML` anywhere. An href is set only for `http(s)://` urls.
/// - The page never fetches anything (its CSP forbids it); the data is inflated from the
///   page's own bytes, the export is a Blob.
/// - The stories are listed as a window `[first, end)` of the filtered order: scrolling down
///   extends `end`, "earlier stories" extends `first`, and following a link to a story outside
///   the window starts a new window there, so no more than a few batches are in the DOM for
///   a typical morning whatever the corpus size.
/// - Timing marks for benchmarks and tests land on `<html>`: `data-first-story`, `data-ready`
///   (search ready), `data-filtered` (ms since navigation start), `data-filter-ms`.
enum ReviewPageScript {
    static let source: StaticString = #"""
(function () {
  "use strict";
  var STORIES_PER_BATCH = 20, ROWS_PER_BATCH = 400, VISIBLE_ITEMS = 12, PICKER_RESULTS = 12;
  var SCHEMA = "newscluster.judgements/1";
  var $ = function (id) { return document.getElementById(id); };
  var main = $("review"), list = $("stories"), more = $("more");
  var filterText = $("filter-text"), filterSource = $("filter-source"), filterLanguage = $("filter-language");
  var shown = $("shown"), statusLine = $("status"), editorInput = $("editor"), countOut = $("judgement-count");
  var help = $("help"), picker = $("picker"), pickerText = $("picker-text"), pickerList = $("picker-list");
  var runKey = main.dataset.run, storageKey = "newscluster.judgements." + runKey;

  function mark(name, value) {
    document.documentElement.setAttribute("data-" + name, String(Math.round(value === undefined ? performance.now() : value)));
  }

  // ---------------------------------------------------------------- DOM helpers (text only)
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function bdi(text) { return el("bdi", null, text); }
  function isWebURL(url) { return /^https?:\/\//i.test(url); }
  function say(text, warning) {
    statusLine.textContent = text;
    statusLine.className = warning ? "warning" : "";
  }

  // ---------------------------------------------------------------- the data
  var T, S, A, ids, titles, paths, storyCount, rowStart, storyByID = new Map(), rowByIDCache = null;

  function bytesOf(base64) {
    if (Uint8Array.fromBase64) { return Uint8Array.fromBase64(base64); }
    var text = atob(base64), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    return bytes;
  }
  function inflate(element) {
    var stream = new Blob([bytesOf(element.textContent)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  function loadData() {
    var elements = Array.prototype.slice.call(document.querySelectorAll('script[type="application/gzip+base64"]'));
    return Promise.all(elements.map(inflate)).then(function (values) {
      var blocks = {};
      elements.forEach(function (element, index) {
        var name = element.dataset.block, dot = name.indexOf(".");
        if (dot < 0) { blocks[name] = values[index]; return; }
        var column = name.slice(0, dot);
        blocks[column] = blocks[column] ? blocks[column].concat(values[index]) : values[index];
      });
      T = blocks.tables; S = blocks.stories; A = blocks.articles;
      ids = blocks.ids || []; titles = blocks.titles || []; paths = blocks.paths || [];
      storyCount = S.id.length;
      rowStart = new Int32Array(storyCount + 1);
      for (var s = 0; s < storyCount; s++) {
        rowStart[s + 1] = rowStart[s] + S.rows[s];
        storyByID.set(S.id[s], s);
      }
    });
  }
  function rowByID() {
    if (!rowByIDCache) {
      rowByIDCache = new Map();
      for (var r = 0; r < ids.length; r++) { rowByIDCache.set(ids[r], r); }
    }
    return rowByIDCache;
  }
  function titleOf(row) { return titles[row] || ids[row]; }
  function headlineOf(s) { return S.headline[s] !== null ? S.headline[s] : titleOf(S.headline_article[s]); }
  function listed(s) { return S.rows[s] > 0; }
  function membersOf(s) { return ids.slice(rowStart[s], rowStart[s + 1]); }
  var dayTexts = new Map();
  function dayText(day) {
    var text = dayTexts.get(day);
    if (!text) { text = new Date(day * 86400000).toISOString().slice(0, 10); dayTexts.set(day, text); }
    return text;
  }
  function hundredths(value) { return (value / 100).toFixed(2); }
  function urlOf(row) {
    var host = A.host[row];
    if (host < 0) { return null; }
    var url = T.hosts[host] + paths[row];
    return isWebURL(url) ? url : null;
  }
  function whenOf(row) {
    var parts = [];
    if (A.day[row] !== null) {
      var minute = A.minute[row], text = dayText(A.day[row]);
      if (minute >= 0) { text += " " + String(Math.floor(minute / 60)).padStart(2, "0") + ":" + String(minute % 60).padStart(2, "0"); }
      parts.push(text);
    }
    if (A.language[row] >= 0) { parts.push(T.languages[A.language[row]]); }
    return parts.join(" ");
  }

  // ---------------------------------------------------------------- search
  var haystacks = null, headlineHaystacks = null;
  function buildHaystacks() {
    if (haystacks) { return; }
    haystacks = new Array(storyCount);
    headlineHaystacks = new Array(storyCount);
    for (var s = 0; s < storyCount; s++) {
      var headline = headlineOf(s), parts = [headline, S.id[s], S.terms[s].join(" ")];
      var sources = S.sources[s];
      for (var i = 0; i < sources.length; i += 2) { parts.push(T.sources[sources[i]]); }
      for (var r = rowStart[s]; r < rowStart[s + 1]; r++) { parts.push(titles[r], ids[r]); }
      haystacks[s] = parts.join("\n").toLowerCase();
      headlineHaystacks[s] = (headline + "\n" + S.id[s]).toLowerCase();
    }
    mark("ready");
  }
  function wordsOf(text) { return text.toLowerCase().split(/\s+/).filter(function (word) { return word.length > 0; }); }
  function matchesAll(haystack, words) {
    for (var i = 0; i < words.length; i++) { if (haystack.indexOf(words[i]) < 0) { return false; } }
    return true;
  }

  // ---------------------------------------------------------------- the listing window
  var order = [], positionOf, first = 0, end = 0, cards = new Map();
  var focusedStory = -1, focusedRow = -1;

  function applyFilter(options) {
    var started = performance.now();
    var words = wordsOf(filterText.value);
    var source = filterSource.value === "" ? -1 : Number(filterSource.value);
    var language = filterLanguage.value === "" ? -1 : Number(filterLanguage.value);
    if (words.length > 0) { buildHaystacks(); }
    order = [];
    for (var s = 0; s < storyCount; s++) {
      if (words.length > 0 && !matchesAll(haystacks[s], words)) { continue; }
      if (source >= 0 && !hasPairKey(S.sources[s], source)) { continue; }
      if (language >= 0 && S.languages[s].indexOf(language) < 0) { continue; }
      order.push(s);
    }
    positionOf = new Int32Array(storyCount).fill(-1);
    order.forEach(function (story, position) { positionOf[story] = position; });
    shown.textContent = String(order.length);
    if (!(options && options.keepHash)) { writeHash(); }
    startWindowAt(0);
    mark("filter-ms", performance.now() - started);
    mark("filter-count", order.length);
    mark("filtered");
  }
  function hasPairKey(pairs, key) {
    for (var i = 0; i < pairs.length; i += 2) { if (pairs[i] === key) { return true; } }
    return false;
  }
  function startWindowAt(position) {
    cards.clear();
    list.textContent = "";
    first = end = Math.max(0, Math.min(position, order.length));
    if (focusedStory >= 0 && (positionOf[focusedStory] < 0)) { focusedStory = -1; focusedRow = -1; }
    if (order.length === 0) {
      list.append(el("p", "muted", storyCount === 0 ? "This run has no stories." : "No story matches the filter."));
    }
    updateEarlier();
    renderMore();
    fill();
  }
  function renderMore() {
    var rows = 0, fragment = document.createDocumentFragment(), stop = Math.min(order.length, end + STORIES_PER_BATCH);
    while (end < stop && rows < ROWS_PER_BATCH) {
      var s = order[end++];
      var card = renderCard(s);
      cards.set(s, card);
      fragment.append(card);
      rows += Math.min(S.rows[s], VISIBLE_ITEMS) + 2;
    }
    list.append(fragment);
    more.textContent = end < order.length ? (order.length - end) + " more stories below" : (order.length > 0 ? "The end of the list." : "");
    if (!document.documentElement.hasAttribute("data-first-story") && cards.size > 0) { mark("first-story"); }
  }
  function renderEarlier() {
    if (first === 0) { return; }
    var anchor = list.querySelector("article.story"), before = anchor ? anchor.getBoundingClientRect().top : 0;
    var start = Math.max(0, first - STORIES_PER_BATCH), fragment = document.createDocumentFragment();
    for (var position = start; position < first; position++) {
      var card = renderCard(order[position]);
      cards.set(order[position], card);
      fragment.append(card);
    }
    first = start;
    var earlier = list.querySelector(".earlier");
    list.insertBefore(fragment, earlier ? earlier.nextSibling : list.firstChild);
    updateEarlier();
    if (anchor) { window.scrollBy(0, anchor.getBoundingClientRect().top - before); }
  }
  function updateEarlier() {
    var button = list.querySelector(".earlier");
    if (first === 0) { if (button) { button.remove(); } return; }
    if (!button) {
      button = el("button", "earlier");
      button.type = "button";
      button.addEventListener("click", renderEarlier);
      list.insertBefore(button, list.firstChild);
    }
    button.textContent = "↑ " + first + " earlier stories";
  }
  function fill() {
    var guard = 0;
    while (end < order.length && more.getBoundingClientRect().top < window.innerHeight + 1500 && guard++ < 50) { renderMore(); }
  }
  function rerender(storyIDs) {
    storyIDs.forEach(function (id) {
      var s = storyByID.get(id), old = cards.get(s);
      if (s === undefined || !old) { return; }
      var openFolds = Array.prototype.map.call(old.querySelectorAll("details"), function (details) { return details.open; });
      var card = renderCard(s);
      old.replaceWith(card);
      cards.set(s, card);
      card.querySelectorAll("details").forEach(function (details, index) {
        if (openFolds[index]) { openFold(details); }
      });
      if (s === focusedStory) { card.classList.add("focused"); showFocusedRow(false); }
    });
  }

  // ---------------------------------------------------------------- a story card
  function renderCard(s) {
    var card = el("article", s === focusedStory ? "story focused" : "story");
    card.id = S.id[s];
    card.dataset.story = String(s);
    var verdicts = judgementsOfStory(S.id[s]);
    var heading = el("h3");
    heading.append(bdi(headlineOf(s)));
    if (S.judgements[s].length > 0) {
      var shaped = el("span", "badge shaped", "shaped by editors");
      shaped.title = "judgements: " + S.judgements[s].join(", ");
      heading.append(shaped);
    }
    if (verdicts.some(function (j) { return j.action === "confirm"; })) {
      heading.append(el("span", "badge confirmed", "✓ confirmed"));
      card.classList.add("confirmed");
    }
    if (verdicts.some(function (j) { return j.action === "merge"; })) {
      heading.append(el("span", "badge merged", "merged"));
      card.classList.add("merged");
    }
    card.append(heading);

    var meta = el("div", "meta");
    meta.append(el("span", null, S.size[s] + " articles"));
    var span = S.span[s];
    meta.append(el("span", null, span === null ? "undated" : span[0] === span[1] ? dayText(span[0]) : dayText(span[0]) + " – " + dayText(span[1])));
    if (S.timeline[s].length > 1) { meta.append(timeline(S.timeline[s])); }
    meta.append(el("span", null, "cohesion " + hundredths(S.cohesion[s])));
    meta.append(el("span", null, S.languages[s].map(function (l) { return T.languages[l]; }).join(" ")));
    meta.append(el("span", "muted", S.id[s]));
    card.append(meta);
    card.append(el("div", "terms", S.terms[s].join(" · ")));
    var sources = el("div", "meta"), pairs = S.sources[s];
    for (var i = 0; i < pairs.length; i += 2) {
      var source = el("span");
      source.append(bdi(T.sources[pairs[i]]), " " + pairs[i + 1]);
      sources.append(source);
    }
    card.append(sources);

    if (listed(s)) {
      var outs = judgedOut(S.id[s]), items = el("ul", "items"), canonical = [];
      for (var r = rowStart[s]; r < rowStart[s + 1]; r++) { if (A.copy[r] === 0) { canonical.push(r); } }
      canonical.slice(0, VISIBLE_ITEMS).forEach(function (row) { items.append(renderItem(row, s, outs)); });
      card.append(items);
      if (canonical.length > VISIBLE_ITEMS) {
        var fold = el("details", "fold");
        fold.append(el("summary", null, (canonical.length - VISIBLE_ITEMS) + " more articles"));
        fold._fill = function () {
          var folded = el("ul", "items");
          canonical.slice(VISIBLE_ITEMS).forEach(function (row) { folded.append(renderItem(row, s, outs)); });
          fold.append(folded);
        };
        fold.addEventListener("toggle", function () { if (fold.open) { openFold(fold); } });
        card.append(fold);
      }
    } else {
      card.append(el("p", "muted", "Its articles are in stories.json: the page lists the articles of the first " +
        T.listed_articles.toLocaleString("en") + " only, and they cannot be judged here."));
    }

    var related = S.related[s];
    if (related.length > 0) {
      var line = el("div", "related", "Related: ");
      for (var k = 0; k < related.length; k += 2) {
        var rel = el("span", "rel");
        rel.append(storyLink(related[k]), " (" + hundredths(related[k + 1]) + ")");
        line.append(rel);
      }
      card.append(line);
    }
    if (verdicts.length > 0) { card.append(ledger(s, verdicts)); }
    if (listed(s)) {
      var acts = el("div", "story-acts");
      acts.append(button("merge with… (g)", "merge", "these two stories are one story"),
                  button("story is right (c)", "confirm", "this story is right"));
      card.append(acts);
    }
    return card;
  }
  function openFold(details) {
    if (details._fill) { details._fill(); details._fill = null; }
    details.open = true;
  }
  function button(label, action, hint) {
    var node = el("button", null, label);
    node.type = "button";
    node.dataset.act = action;
    if (hint) { node.title = hint; }
    return node;
  }
  function storyLink(s) {
    var link = el("a");
    link.href = "#" + S.id[s];
    link.append(bdi(headlineOf(s)));
    return link;
  }
  function timeline(values) {
    var ns = "http://www.w3.org/2000/svg", width = 6, height = 18, counts = values.slice(1);
    var top = Math.max(1, Math.max.apply(null, counts));
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", String(counts.length * (width + 1)));
    svg.setAttribute("height", String(height));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "articles per day");
    counts.forEach(function (count, index) {
      var barHeight = count === 0 ? 0 : Math.max(2, Math.floor(count * height / top));
      var rect = document.createElementNS(ns, "rect");
      rect.setAttribute("class", "bar");
      rect.setAttribute("x", String(index * (width + 1)));
      rect.setAttribute("y", String(height - barHeight));
      rect.setAttribute("width", String(width));
      rect.setAttribute("height", String(barHeight));
      var title = document.createElementNS(ns, "title");
      title.textContent = dayText(values[0] + index) + ": " + count;
      rect.append(title);
      svg.append(rect);
    });
    return svg;
  }
  function renderItem(row, s, outs) {
    var item = el("li", "item"), line = el("div", "row");
    item.dataset.row = String(row);
    item.dataset.article = ids[row];
    var link = el("a"), url = urlOf(row);
    if (url) { link.href = url; link.rel = "noopener noreferrer"; }
    link.append(bdi(titleOf(row)));
    var source = el("span", "src");
    source.append(bdi(A.source[row] >= 0 ? T.sources[A.source[row]] : ""), " " + whenOf(row));
    line.append(link, " ", source);
    var evidence = [], hint = [];
    if (A.score[row] !== null) { evidence.push(hundredths(A.score[row])); hint.push("cosine to the story's other articles"); }
    if (A.containment[row] !== null) { evidence.push("copy " + hundredths(A.containment[row])); hint.push("share of the shorter text's word 4-grams the canonical article holds"); }
    if (evidence.length > 0) {
      var figures = el("span", "evidence", evidence.join(" · "));
      figures.title = hint.join("; ");
      line.append(" ", figures);
    }
    var out = outs.get(ids[row]);
    if (out) {
      item.classList.add("judged");
      var verdict = el("span", "verdict", out.action === "remove" ? "not in this story" : "→ moved to ");
      if (out.action === "move") {
        var target = storyByID.get(out.stories[1].id);
        verdict.append(target !== undefined ? storyLink(target) : bdi(out.stories[1].headline));
      }
      line.append(verdict);
    } else {
      var acts = el("span", "acts");
      acts.append(button("not in story (x)", "remove", "this article is not in this story"),
                  button("move… (m)", "move", "move this article to another story"));
      line.append(acts);
    }
    item.append(line);
    var copies = [];
    // A copy's row is followed by its siblings, not by copies of its own.
    for (var r = row + 1; A.copy[row] === 0 && r < rowStart[s + 1] && A.copy[r] === 1; r++) { copies.push(r); }
    if (copies.length > 0) {
      var fold = el("details");
      fold.append(el("summary", null, copies.length === 1 ? "1 copy" : copies.length + " copies"));
      var list = el("ul", "items");
      copies.forEach(function (copy) { list.append(renderItem(copy, s, outs)); });
      fold.append(list);
      item.append(fold);
    }
    return item;
  }
  function ledger(s, verdicts) {
    var box = el("div", "ledger");
    verdicts.forEach(function (j) {
      var line = el("div"), who = j.editor ? " (" + j.editor + ")" : "";
      var own = j.stories[0].id === S.id[s];
      if (j.action === "confirm") {
        line.append("✓ confirmed: this story is right" + who);
      } else if (j.action === "merge") {
        var other = own ? j.stories[1] : j.stories[0], index = storyByID.get(other.id);
        line.append("merged with ", index !== undefined ? storyLink(index) : bdi(other.headline), who);
      } else if (own) {
        line.append("“", bdi(articleTitle(j.article)), j.action === "remove" ? "” is not in this story" : "” moved to ");
        if (j.action === "move") {
          var target = storyByID.get(j.stories[1].id);
          line.append(target !== undefined ? storyLink(target) : bdi(j.stories[1].headline));
        }
        line.append(who);
      } else {
        var from = storyByID.get(j.stories[0].id);
        line.append("“", bdi(articleTitle(j.article)), "” moved here from ", from !== undefined ? storyLink(from) : bdi(j.stories[0].headline), who);
      }
      var undo = button("undo", "undo", "take this judgement back");
      undo.dataset.judgement = j.id;
      line.append(" ", undo);
      box.append(line);
    });
    return box;
  }
  function articleTitle(id) {
    var row = rowByID().get(id);
    return row === undefined ? id : titleOf(row);
  }

  // ---------------------------------------------------------------- judgements
  var state = { counter: 0, judgements: [] };
  var storageWorks = true;
  function readState() {
    try {
      var stored = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (stored && Array.isArray(stored.judgements)) { return stored; }
    } catch (error) { storageWorks = false; }
    return { counter: 0, judgements: [] };
  }
  function saveState() {
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      storageWorks = false;
      say("This browser does not keep the judgements: export them before closing the page.", true);
    }
    countOut.textContent = String(active().length);
  }
  function active() { return state.judgements.filter(function (j) { return !j.undone; }); }
  function judgementsOfStory(id) {
    return active().filter(function (j) { return j.stories.some(function (story) { return story.id === id; }); });
  }
  /// The articles judged out of a story (removed or moved away), by id.
  function judgedOut(id) {
    var outs = new Map();
    active().forEach(function (j) {
      if ((j.action === "remove" || j.action === "move") && j.stories[0].id === id) { outs.set(j.article, j); }
    });
    return outs;
  }
  /// The story's members as the page shows it now: without the articles judged out of it,
  /// with the articles moved into it.
  function currentMembers(s) {
    var outs = judgedOut(S.id[s]), members = membersOf(s).filter(function (id) { return !outs.has(id); });
    active().forEach(function (j) {
      if (j.action === "move" && j.stories[1].id === S.id[s] && members.indexOf(j.article) < 0) { members.push(j.article); }
    });
    return members;
  }
  /// The article the others are linked to: the headline article, unless it was judged out.
  function anchorOf(s, members) {
    var headline = ids[S.headline_article[s]];
    return members.indexOf(headline) >= 0 ? headline : members[0];
  }
  function reference(s) { return { id: S.id[s], headline: headlineOf(s) }; }
  function newID() {
    var random = new Uint32Array(1);
    crypto.getRandomValues(random);
    state.counter += 1;
    return "j-" + runKey + "-" + state.counter + "-" + random[0].toString(36);
  }
  function record(action, fields) {
    var editor = editorInput.value.trim();
    var judgement = { id: newID(), action: action, time: new Date().toISOString(), editor: editor || null };
    if (fields.article) { judgement.article = fields.article; }
    judgement.stories = fields.stories;
    judgement.must_link = fields.must_link;
    judgement.cannot_link = fields.cannot_link;
    state.judgements.push(judgement);
    saveState();
    rerender(judgement.stories.map(function (story) { return story.id; }));
    return judgement;
  }
  function leaving(s, article) {
    return currentMembers(s).filter(function (id) { return id !== article; }).map(function (id) { return [article, id]; });
  }
  function canJudge(s) {
    if (s < 0) { say("Pick a story first: j / k move through the stories.", true); return false; }
    if (!listed(s)) { say("This story's articles are not on the page: it cannot be judged here.", true); return false; }
    return true;
  }
  function canJudgeArticle(s, row) {
    if (!canJudge(s)) { return false; }
    if (row < 0) { say("Pick an article first: n / p move through the story's articles.", true); return false; }
    if (judgedOut(S.id[s]).has(ids[row])) { say("That article is already judged: undo it first (u, or its undo button).", true); return false; }
    return true;
  }
  function removeArticle(s, row) {
    if (!canJudgeArticle(s, row)) { return; }
    var article = ids[row];
    record("remove", { article: article, stories: [reference(s)], must_link: [], cannot_link: leaving(s, article) });
    say("“" + titleOf(row) + "” is not in this story. u undoes it.");
  }
  function moveArticle(s, row, t) {
    if (!canJudgeArticle(s, row) || !canJudge(t) || s === t) { return; }
    var article = ids[row];
    record("move", { article: article, stories: [reference(s), reference(t)],
                     must_link: [[article, anchorOf(t, currentMembers(t))]], cannot_link: leaving(s, article) });
    say("“" + titleOf(row) + "” moved to “" + headlineOf(t) + "”. u undoes it.");
  }
  function mergeStories(s, t) {
    if (!canJudge(s) || !canJudge(t) || s === t) { return; }
    var already = judgementsOfStory(S.id[s]).some(function (j) {
      return j.action === "merge" && j.stories.some(function (story) { return story.id === S.id[t]; });
    });
    if (already) { say("These two stories are already merged.", true); return; }
    var own = currentMembers(s), anchor = anchorOf(s, own), all = own.slice();
    currentMembers(t).forEach(function (id) { if (all.indexOf(id) < 0) { all.push(id); } });
    record("merge", { stories: [reference(s), reference(t)], cannot_link: [],
                      must_link: all.filter(function (id) { return id !== anchor; }).map(function (id) { return [id, anchor]; }) });
    say("“" + headlineOf(s) + "” and “" + headlineOf(t) + "” are one story. u undoes it.");
  }
  function confirmStory(s) {
    if (!canJudge(s)) { return; }
    if (judgementsOfStory(S.id[s]).some(function (j) { return j.action === "confirm"; })) { say("This story is already confirmed.", true); return; }
    var members = currentMembers(s), anchor = anchorOf(s, members);
    record("confirm", { stories: [reference(s)], cannot_link: [],
                        must_link: members.filter(function (id) { return id !== anchor; }).map(function (id) { return [id, anchor]; }) });
    say("“" + headlineOf(s) + "” is right. u undoes it.");
  }
  function undo(id) {
    var judgement = state.judgements.find(function (j) { return j.id === id && !j.undone; });
    if (!judgement) { return; }
    judgement.undone = true;
    saveState();
    rerender(judgement.stories.map(function (story) { return story.id; }));
    say("Undone: " + describe(judgement) + ".");
  }
  function undoLast() {
    var current = active();
    if (current.length === 0) { say("Nothing to undo.", true); return; }
    undo(current[current.length - 1].id);
  }
  function describe(j) {
    switch (j.action) {
      case "remove": return "“" + articleTitle(j.article) + "” out of “" + j.stories[0].headline + "”";
      case "move": return "“" + articleTitle(j.article) + "” moved to “" + j.stories[1].headline + "”";
      case "merge": return "“" + j.stories[0].headline + "” merged with “" + j.stories[1].headline + "”";
      default: return "“" + j.stories[0].headline + "” confirmed";
    }
  }
  function exportJudgements() {
    var editor = editorInput.value.trim();
    var file = { schema: SCHEMA, exported: new Date().toISOString(), editor: editor || null, run: runKey,
                 judgements: active().map(function (j) {
                   var out = { id: j.id, action: j.action, time: j.time, editor: j.editor === undefined ? null : j.editor };
                   if (j.article !== undefined) { out.article = j.article; }
                   out.stories = j.stories; out.must_link = j.must_link; out.cannot_link = j.cannot_link;
                   return out;
                 }) };
    var link = el("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" }));
    link.download = "judgements.json";
    document.body.append(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    say("Exported " + file.judgements.length + " judgements to judgements.json.");
  }
  function isPair(pair) { return Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string" && typeof pair[1] === "string"; }
  function isJudgement(j) {
    return j && typeof j.id === "string" && j.id.length > 0 && ["remove", "move", "merge", "confirm"].indexOf(j.action) >= 0
      && typeof j.time === "string" && Array.isArray(j.stories) && j.stories.length >= 1
      && j.stories.every(function (story) { return story && typeof story.id === "string" && typeof story.headline === "string"; })
      && ((j.action !== "move" && j.action !== "merge") || j.stories.length >= 2)
      && ((j.action !== "remove" && j.action !== "move") || typeof j.article === "string")
      && Array.isArray(j.must_link) && j.must_link.every(isPair) && Array.isArray(j.cannot_link) && j.cannot_link.every(isPair);
  }
  function importJudgements(text) {
    var file;
    try { file = JSON.parse(text); } catch (error) { say("Not a judgements file: " + error.message, true); return; }
    if (!file || file.schema !== SCHEMA || !Array.isArray(file.judgements)) { say("Not a judgements file (its schema is not " + SCHEMA + ").", true); return; }
    var known = new Set(state.judgements.map(function (j) { return j.id; }));
    var added = 0, invalid = 0, elsewhere = 0, touched = new Set();
    file.judgements.forEach(function (j) {
      if (!isJudgement(j)) { invalid += 1; return; }
      if (known.has(j.id)) { return; }
      known.add(j.id);
      var copy = { id: j.id, action: j.action, time: j.time, editor: typeof j.editor === "string" ? j.editor : null };
      if (j.article !== undefined) { copy.article = j.article; }
      copy.stories = j.stories.map(function (story) { return { id: story.id, headline: story.headline }; });
      copy.must_link = j.must_link; copy.cannot_link = j.cannot_link;
      state.judgements.push(copy);
      added += 1;
      if (!copy.stories.every(function (story) { return storyByID.has(story.id); })) { elsewhere += 1; }
      copy.stories.forEach(function (story) { touched.add(story.id); });
    });
    saveState();
    rerender(Array.from(touched));
    var message = "Imported " + added + " judgements (" + (file.judgements.length - added - invalid) + " already here)";
    if (invalid > 0) { message += ", " + invalid + " not valid and left out"; }
    if (elsewhere > 0) { message += ", " + elsewhere + " about stories not on this page (kept for the export)"; }
    if (file.run && file.run !== runKey) { message += "; the file was made on another run's page (" + file.run + ")"; }
    say(message + ".", invalid > 0 || elsewhere > 0);
  }

  // ---------------------------------------------------------------- focus and navigation
  function focusStory(s, scroll) {
    var old = cards.get(focusedStory);
    if (old) { old.classList.remove("focused"); }
    focusedStory = s;
    focusedRow = -1;
    var card = cards.get(s);
    if (!card) { return; }
    card.classList.add("focused");
    showFocusedRow(false);
    if (scroll) { card.scrollIntoView({ block: "nearest" }); }
  }
  function firstVisibleStory() {
    var top = document.querySelector(".judging").getBoundingClientRect().bottom;
    for (var position = first; position < end; position++) {
      var card = cards.get(order[position]);
      if (card && card.getBoundingClientRect().bottom > top) { return order[position]; }
    }
    return order[first];
  }
  function stepStory(delta) {
    if (order.length === 0) { return; }
    if (focusedStory < 0 || !cards.has(focusedStory)) { focusStory(firstVisibleStory(), true); return; }
    var position = positionOf[focusedStory] + delta;
    if (position < 0 || position >= order.length) { say(delta > 0 ? "That was the last story." : "That was the first story."); return; }
    if (position >= end) { renderMore(); }
    if (position < first) { renderEarlier(); }
    focusStory(order[position], true);
    fill();
  }
  function itemsOf(card) { return Array.prototype.slice.call(card.querySelectorAll("li.item")); }
  function stepArticle(delta) {
    if (focusedStory < 0 || !cards.has(focusedStory)) { stepStory(1); }
    var card = cards.get(focusedStory);
    if (!card) { return; }
    var items = itemsOf(card), index = items.findIndex(function (item) { return Number(item.dataset.row) === focusedRow; });
    var next = index < 0 ? (delta > 0 ? 0 : items.length - 1) : index + delta;
    if (next >= items.length) {
      var fold = card.querySelector("details.fold");
      if (fold && fold._fill) { openFold(fold); items = itemsOf(card); }
    }
    if (next < 0 || next >= items.length) { return; }
    focusedRow = Number(items[next].dataset.row);
    showFocusedRow(true);
  }
  function showFocusedRow(scroll) {
    var card = cards.get(focusedStory);
    if (!card) { return; }
    card.querySelectorAll("li.item.focused").forEach(function (item) { item.classList.remove("focused"); });
    if (focusedRow < 0) { return; }
    var item = card.querySelector('li.item[data-row="' + focusedRow + '"]');
    if (!item) { return; }
    item.classList.add("focused");
    for (var node = item.parentElement; node && node !== card; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) { openFold(node); }
    }
    if (scroll) { item.scrollIntoView({ block: "nearest" }); }
  }
  function goToStory(id) {
    var s = storyByID.get(id);
    if (s === undefined) { return false; }
    if (positionOf[s] < 0) {
      filterText.value = ""; filterSource.value = ""; filterLanguage.value = "";
      applyFilter();
    }
    var position = positionOf[s];
    if (position < first || position >= end) { startWindowAt(position); }
    focusStory(s, true);
    return true;
  }

  // ---------------------------------------------------------------- the story picker
  var pickerMode = null, pickerFrom = -1, pickerRow = -1, pickerResults = [], pickerSelected = 0;
  function openPicker(mode, s, row) {
    if (mode === "move" ? !canJudgeArticle(s, row) : !canJudge(s)) { return; }
    buildHaystacks();
    pickerMode = mode; pickerFrom = s; pickerRow = row;
    var title = $("picker-title");
    title.textContent = "";
    title.append(mode === "move" ? "Move “" : "Merge “", bdi(mode === "move" ? titleOf(row) : headlineOf(s)), mode === "move" ? "” to the story…" : "” with the story…");
    pickerText.value = "";
    updatePicker();
    picker.showModal();
    pickerText.focus();
  }
  function updatePicker() {
    var words = wordsOf(pickerText.value);
    pickerResults = [];
    for (var s = 0; s < storyCount && pickerResults.length < PICKER_RESULTS; s++) {
      if (s !== pickerFrom && listed(s) && matchesAll(headlineHaystacks[s], words)) { pickerResults.push(s); }
    }
    pickerSelected = 0;
    pickerList.textContent = "";
    if (pickerResults.length === 0) { pickerList.append(el("li", "muted", "No story's headline has these words.")); }
    pickerResults.forEach(function (s, index) {
      var option = el("li");
      option.setAttribute("role", "option");
      option.dataset.index = String(index);
      option.append(bdi(headlineOf(s)), el("span", "muted", "  " + S.size[s] + " articles · " + S.id[s]));
      pickerList.append(option);
    });
    showPickerSelection();
  }
  function showPickerSelection() {
    Array.prototype.forEach.call(pickerList.children, function (option, index) {
      option.setAttribute("aria-selected", index === pickerSelected ? "true" : "false");
      if (index === pickerSelected) { option.scrollIntoView({ block: "nearest" }); }
    });
  }
  function pick(index) {
    var t = pickerResults[index];
    picker.close();
    if (t === undefined) { return; }
    if (pickerMode === "move") { moveArticle(pickerFrom, pickerRow, t); } else { mergeStories(pickerFrom, t); }
  }
  pickerText.addEventListener("input", updatePicker);
  pickerText.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      pickerSelected = Math.max(0, Math.min(pickerResults.length - 1, pickerSelected + (event.key === "ArrowDown" ? 1 : -1)));
      showPickerSelection();
    } else if (event.key === "Enter") {
      event.preventDefault();
      pick(pickerSelected);
    }
  });
  pickerList.addEventListener("click", function (event) {
    var option = event.target.closest("li[data-index]");
    if (option) { pick(Number(option.dataset.index)); }
  });

  // ---------------------------------------------------------------- the URL
  function writeHash() {
    var parts = [];
    if (filterText.value) { parts.push("filter=" + encodeURIComponent(filterText.value)); }
    if (filterSource.value) { parts.push("source=" + encodeURIComponent(T.sources[Number(filterSource.value)])); }
    if (filterLanguage.value) { parts.push("language=" + encodeURIComponent(T.languages[Number(filterLanguage.value)])); }
    history.replaceState(null, "", parts.length > 0 ? "#" + parts.join("&") : location.pathname + location.search);
  }
  function readHash() {
    var hash = location.hash.slice(1);
    if (!/^(filter|source|language)=/.test(hash)) { return false; }
    hash.split("&").forEach(function (part) {
      var equals = part.indexOf("="), key = part.slice(0, equals), value = part.slice(equals + 1);
      // A hand-typed address may hold a stray "%": it is then taken as written.
      try { value = decodeURIComponent(value); } catch (error) { /* as written */ }
      if (key === "filter") { filterText.value = value; }
      if (key === "source") { filterSource.value = String(T.sources.indexOf(value)); }
      if (key === "language") { filterLanguage.value = String(T.languages.indexOf(value)); }
    });
    if (filterSource.selectedIndex < 0) { filterSource.value = ""; }
    if (filterLanguage.selectedIndex < 0) { filterLanguage.value = ""; }
    return true;
  }
  function fillSelect(select, names) {
    names.map(function (name, index) { return [name, index]; })
      .sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
      .forEach(function (entry) {
        var option = el("option", null, entry[0]);
        option.value = String(entry[1]);
        select.append(option);
      });
  }

  // ---------------------------------------------------------------- events
  function storyOf(node) { var card = node.closest("article.story"); return card ? Number(card.dataset.story) : -1; }
  function rowOf(node) { var item = node.closest("li.item"); return item ? Number(item.dataset.row) : -1; }
  list.addEventListener("click", function (event) {
    var target = event.target, action = target.closest("button[data-act]");
    var s = storyOf(target);
    if (s >= 0 && s !== focusedStory) { focusStory(s, false); }
    if (s >= 0 && target.closest("li.item")) { focusedRow = rowOf(target); showFocusedRow(false); }
    if (!action) { return; }
    switch (action.dataset.act) {
      case "remove": removeArticle(s, rowOf(action)); break;
      case "move": openPicker("move", s, rowOf(action)); break;
      case "merge": openPicker("merge", s, -1); break;
      case "confirm": confirmStory(s); break;
      case "undo": undo(action.dataset.judgement); break;
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link || !storyByID.has(link.getAttribute("href").slice(1))) { return; }
    event.preventDefault();
    goToStory(link.getAttribute("href").slice(1));
  });
  var pendingFilter = 0;
  function scheduleFilter() {
    if (pendingFilter) { return; }
    pendingFilter = requestAnimationFrame(function () { pendingFilter = 0; applyFilter(); });
  }
  filterText.addEventListener("input", scheduleFilter);
  filterSource.addEventListener("change", function () { applyFilter(); });
  filterLanguage.addEventListener("change", function () { applyFilter(); });
  editorInput.addEventListener("change", function () {
    try { localStorage.setItem("newscluster.editor", editorInput.value.trim()); } catch (error) { storageWorks = false; }
  });
  $("export").addEventListener("click", exportJudgements);
  $("import-button").addEventListener("click", function () { $("import").click(); });
  $("import").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    file.text().then(importJudgements);
    event.target.value = "";
  });
  $("help-button").addEventListener("click", function () { help.showModal(); });
  window.addEventListener("storage", function (event) {
    if (event.key !== storageKey) { return; }
    state = readState();
    countOut.textContent = String(active().length);
    rerender(Array.from(cards.keys()).map(function (s) { return S.id[s]; }));
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || help.open || picker.open || !S) { return; }
    var target = event.target;
    if (target.closest && target.closest("input, select, textarea")) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    var handled = true;
    switch (event.key) {
      case "j": stepStory(1); break;
      case "k": stepStory(-1); break;
      case "n": case "ArrowDown": if (event.key === "ArrowDown" && focusedStory < 0) { handled = false; break; } stepArticle(1); break;
      case "p": case "ArrowUp": if (event.key === "ArrowUp" && focusedStory < 0) { handled = false; break; } stepArticle(-1); break;
      case "x": removeArticle(focusedStory, focusedRow); break;
      case "m": openPicker("move", focusedStory, focusedRow); break;
      case "g": openPicker("merge", focusedStory, -1); break;
      case "c": confirmStory(focusedStory); break;
      case "u": undoLast(); break;
      case "e": exportJudgements(); break;
      case "o":
        var url = focusedRow >= 0 ? urlOf(focusedRow) : null;
        if (url) { window.open(url, "_blank", "noopener"); } else { say("No web link for this article.", true); }
        break;
      case "/": filterText.focus(); filterText.select(); break;
      case "?": help.showModal(); break;
      case "Escape":
        if (focusedRow >= 0) { focusedRow = -1; showFocusedRow(false); } else { focusStory(-1, false); }
        break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  // ---------------------------------------------------------------- start
  if (!window.DecompressionStream) {
    list.textContent = "";
    list.append(el("p", "muted", "This browser cannot unpack the page's stories (it lacks DecompressionStream): open the page in a current Chrome, Edge, Firefox or Safari, or read stories.json."));
    return;
  }
  loadData().then(function () {
    state = readState();
    try { editorInput.value = localStorage.getItem("newscluster.editor") || ""; } catch (error) { storageWorks = false; }
    countOut.textContent = String(active().length);
    fillSelect(filterSource, T.sources);
    fillSelect(filterLanguage, T.languages);
    var target = location.hash.slice(1);
    var filtered = readHash();
    applyFilter({ keepHash: true });
    if (!filtered && storyByID.has(target)) { goToStory(target); }
    if (!storageWorks) { say("This browser does not keep the judgements: export them before closing the page.", true); }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) { renderMore(); fill(); }
    }, { rootMargin: "0px 0px 1500px 0px" });
    observer.observe(more);
    setTimeout(buildHaystacks, 0);
  }).catch(function (error) {
    list.textContent = "";
    list.append(el("p", "muted", "The page's stories could not be read: " + error + ". stories.json holds them."));
  });
})();
"""#
}
