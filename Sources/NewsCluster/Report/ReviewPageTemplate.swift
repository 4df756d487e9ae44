/// The Mustache template of `report.html` (see `ReviewPage`). Kept in the binary rather than as
/// a resource file, so an installed `newscluster` needs nothing beside it. Every `{{…}}` is
/// HTML-escaped by the engine; the one triple mustache holds the stories, written by
/// `StoryMarkup` with the same escaping.
enum ReviewPageTemplate {
    static let text = #"""
{{% CONTENT_TYPE: NEWSCLUSTER_HTML}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="newscluster-schema" content="\#(ReportSchema.version)">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{{title}}</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 16px; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 17px; margin: 22px 0 8px; }
.panel { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
.figures { display: flex; flex-wrap: wrap; gap: 6px 22px; }
.figures div { min-width: 140px; }
.figures b { display: block; font-size: 18px; }
.muted { color: #66707d; font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
svg text { font-size: 10px; fill: #66707d; }
svg .bar { fill: #4a78b5; }
.filter { position: sticky; top: 0; background: #f6f7f9; padding: 8px 0; z-index: 1; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.filter input { flex: 1; min-width: 220px; padding: 6px 8px; font-size: 15px; }
.filter select { padding: 5px; max-width: 260px; }
article.story { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
article.story h3 { font-size: 16px; margin: 0 0 4px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; color: #4d5764; align-items: center; }
.terms { font-size: 13px; color: #3d6b3d; margin: 2px 0 6px; }
ul.items { margin: 6px 0; padding-left: 18px; }
ul.items li { margin: 2px 0; }
.src { color: #66707d; font-size: 13px; }
details summary { cursor: pointer; color: #4a78b5; font-size: 13px; }
.related { font-size: 13px; }
.changes li { margin: 2px 0; }
.rel + .rel::before { content: "; "; }
table.issues { border-collapse: collapse; font-size: 13px; }
table.issues td { border-top: 1px solid #e4e7eb; padding: 2px 10px 2px 0; vertical-align: top; }
</style>
</head>
<body>
<header>
<h1>{{title}}</h1>
<div class="panel figures">
{{#summary}}<div><b>{{value}}</b><span class="muted">{{label}}</span></div>
{{/summary}}
</div>
<details class="panel"><summary>timings</summary>
<div class="figures">{{#timings}}<div><b>{{value}}</b><span class="muted">{{label}}</span></div>{{/timings}}</div>
</details>
{{#hasRejected}}
<details class="panel" id="rejected"><summary>{{rejectedCount}} rejected records</summary>
<table class="issues">
{{#rejected}}<tr><td>{{location}}</td><td><bdi>{{id}}</bdi></td><td>{{reason}}</td></tr>
{{/rejected}}
</table>
{{#hasHiddenRejected}}<p class="muted">… and {{rejectedHidden}} more in run.json.</p>{{/hasHiddenRejected}}
</details>
{{/hasRejected}}
{{#hasWarnings}}<p class="muted">{{warningsCount}} records were repaired on the way in; run.json lists them.</p>{{/hasWarnings}}
</header>
<main>
{{#changes}}
<section class="panel changes" id="changes">
<h2>Since the last night (run {{run}})</h2>
{{#none}}<p class="muted">No story changed.</p>{{/none}}
{{#hasNew}}<h3>New</h3><ul>{{#new}}<li>{{>changed}}</li>{{/new}}</ul>{{/hasNew}}
{{#hasGrown}}<h3>Grown</h3><ul>{{#grown}}<li>{{>changed}}</li>{{/grown}}</ul>{{/hasGrown}}
{{#hasMerged}}<h3>Merged</h3><ul>{{#merged}}<li>{{>changed}}</li>{{/merged}}</ul>{{/hasMerged}}
{{#hasSplit}}<h3>Split</h3><ul>{{#split}}<li>{{>changed}}</li>{{/split}}</ul>{{/hasSplit}}
{{#hasLeft}}<h3>Left the window</h3><ul>{{#left}}<li>{{>changed}}</li>{{/left}}</ul>{{/hasLeft}}
</section>
{{/changes}}
<section class="charts">
{{#sizeChart}}{{>chart}}{{/sizeChart}}
{{#dayChart}}{{>chart}}{{/dayChart}}
</section>
<div class="filter" role="search">
<input id="filter-text" type="search" placeholder="Filter stories by any word of a headline, title or term" aria-label="filter by text">
<select id="filter-source" aria-label="filter by source"><option value="">every source</option>{{#sources}}<option value="{{.}}">{{.}}</option>{{/sources}}</select>
<select id="filter-language" aria-label="filter by language"><option value="">every language</option>{{#languages}}<option value="{{.}}">{{.}}</option>{{/languages}}</select>
<span class="muted"><span id="shown">{{storyCount}}</span> of {{storyCount}} stories</span>
</div>
{{{storiesHTML}}}
</main>
<script>
(function () {
  var text = document.getElementById("filter-text");
  var source = document.getElementById("filter-source");
  var language = document.getElementById("filter-language");
  var shown = document.getElementById("shown");
  var stories = Array.prototype.slice.call(document.querySelectorAll("article.story"));
  var haystacks = stories.map(function (story) { return story.textContent.toLowerCase(); });
  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(function (word) { return word.length > 0; });
    var wantedSource = source.value, wantedLanguage = language.value, count = 0;
    stories.forEach(function (story, index) {
      var visible = words.every(function (word) { return haystacks[index].indexOf(word) >= 0; })
        && (!wantedSource || story.dataset.sources.split("\n").indexOf(wantedSource) >= 0)
        && (!wantedLanguage || story.dataset.languages.split(" ").indexOf(wantedLanguage) >= 0);
      story.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = String(count);
  }
  text.addEventListener("input", apply);
  source.addEventListener("change", apply);
  language.addEventListener("change", apply);
  // #filter=words opens the page filtered (links from other tools, and the browser test).
  var match = /^#filter=(.*)$/.exec(location.hash);
  if (match) { text.value = decodeURIComponent(match[1]); apply(); }
})();
</script>
</body>
</html>
"""#

    /// Partials: one changed story, one chart.
    static let partials: [String: String] = [
        "changed": #"""
{{% CONTENT_TYPE: NEWSCLUSTER_HTML}}{{#linked}}<a href="#{{id}}"><bdi>{{headline}}</bdi></a>{{/linked}}{{^linked}}<bdi>{{headline}}</bdi>{{/linked}} <span class="muted">{{id}} · {{detail}}</span>
"""#,
        "chart": #"""
{{% CONTENT_TYPE: NEWSCLUSTER_HTML}}<figure class="panel"><svg width="{{width}}" height="{{height}}" role="img" aria-label="{{caption}}">{{#bars}}<rect class="bar" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{label}}: {{count}}</title></rect>{{#showLabel}}<text x="{{labelX}}" y="{{labelY}}" text-anchor="middle">{{label}}</text>{{/showLabel}}{{/bars}}</svg><figcaption class="muted">{{caption}}</figcaption></figure>
"""#,
    ]
}
