#!/usr/bin/python3
"""report.html in headless Chromium, used as an editor uses it.

Builds the demo's reports with the release binary, opens report.html, and works through a
morning's review with the keyboard: j/k between stories, / to the filter, ? for the help, n
and x to take an article out of its story, m to move one, g to merge two stories, c to
confirm one, u to undo; then exports judgements.json and checks it against
docs/judgements.schema.json's rules and stories.json, reloads the page (the judgements are
still there: localStorage), and imports the file into a fresh browser profile.

Run: make test-browser, or /usr/bin/python3 Tests/Browser/test_review_page.py
(NEWSCLUSTER_BINARY: the binary to test, default .build/release/newscluster;
NEWSCLUSTER_SCREENSHOT=path: also save a screenshot of the page with judgements on it).
Skips, saying why, when Selenium, Chromium or chromedriver is missing.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("NEWSCLUSTER_BINARY", os.path.join(ROOT, ".build", "release", "newscluster"))
DEMO = os.path.join(ROOT, "Corpora", "demo")

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    SELENIUM = None
except ImportError as error:
    SELENIUM = "Selenium is not installed (%s): apt-get install python3-selenium, or make test-browser" % error

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)), None)
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)


def missing():
    if SELENIUM:
        return SELENIUM
    if not CHROMIUM:
        return "Chromium is not installed: apt-get install chromium, or make test-browser"
    if not CHROMEDRIVER:
        return "chromedriver is not installed: apt-get install chromium-driver, or make test-browser"
    if not os.access(BINARY, os.X_OK):
        return "no newscluster binary at %s: swift build -c release --product newscluster" % BINARY
    return None


def cluster(inputs, out, *options):
    subprocess.run([BINARY, "cluster", *inputs, "--out", out, "--quiet", *options], check=True)


def browser(profile, downloads):
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1400", "--user-data-dir=" + profile):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": downloads, "download.prompt_for_download": False,
        "download.directory_upgrade": True, "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


class Page:
    """The review page in one browser, with the few things a test asks of it."""

    def __init__(self, driver, url):
        self.driver = driver
        self.url = url

    def open(self):
        self.driver.get(self.url)
        # The first filtering marks the page as shown, also when no story matches.
        self.wait(lambda d: d.execute_script("return document.documentElement.dataset.filtered"), "the stories to be shown")
        return self

    # Generous: a wait returns as soon as its condition holds, and a CI machine under load
    # must not fail a correct page for being slow.
    def wait(self, condition, what, timeout=60):
        try:
            return WebDriverWait(self.driver, timeout).until(condition)
        except TimeoutException:
            raise AssertionError("timed out waiting for " + what)

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def press(self, *keys):
        for key in keys:
            ActionChains(self.driver).send_keys(key).perform()

    def focused_story(self):
        return self.js("var c = document.querySelector('article.story.focused'); return c ? c.id : null;")

    def focused_article(self):
        return self.js("var i = document.querySelector('article.story.focused li.item.focused');"
                       "return i ? i.dataset.article : null;")

    def card_ids(self):
        return self.js("return Array.from(document.querySelectorAll('article.story')).map(c => c.id);")

    def judged_articles(self, story):
        return self.js("return Array.from(document.getElementById(arguments[0]).querySelectorAll('li.item.judged'))"
                       ".map(i => i.dataset.article);", story)

    def badges(self, story):
        return self.js("return Array.from(document.getElementById(arguments[0]).querySelectorAll('h3 .badge'))"
                       ".map(b => b.textContent);", story)

    def judgement_count(self):
        return int(self.driver.find_element(By.ID, "judgement-count").text)

    def pick_story(self, words):
        self.wait(lambda d: d.find_element(By.ID, "picker").get_attribute("open") is not None, "the story picker")
        self.press(words)
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#picker-list li[data-index]"), "a story in the picker")
        self.press(Keys.ENTER)
        self.wait(lambda d: d.find_element(By.ID, "picker").get_attribute("open") is None, "the picker to close")


@unittest.skipIf(missing(), missing() or "")
class ReviewPageInABrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="newscluster-browser-")
        cls.reports = os.path.join(cls.work, "reports")
        cluster([DEMO], cls.reports)
        with open(os.path.join(cls.reports, "stories.json"), encoding="utf-8") as file:
            cls.stories = json.load(file)["stories"]
        cls.by_id = {story["id"]: story for story in cls.stories}
        cls.url = "file://" + os.path.join(cls.reports, "report.html")
        cls.drivers = []

    @classmethod
    def tearDownClass(cls):
        for driver in cls.drivers:
            driver.quit()
        shutil.rmtree(cls.work, ignore_errors=True)

    def new_browser(self, name):
        profile = os.path.join(self.work, "profile-" + name)
        downloads = os.path.join(self.work, "downloads-" + name)
        os.makedirs(downloads, exist_ok=True)
        driver = browser(profile, downloads)
        self.drivers.append(driver)
        return driver, downloads

    def review_order(self):
        return [s["id"] for s in sorted(self.stories, key=lambda s: (-s["size"], _descending(s.get("last_published") or ""), s["id"]))]

    # ------------------------------------------------------------------ the morning's review
    def test_an_editors_morning(self):
        driver, downloads = self.new_browser("editor")
        page = Page(driver, self.url).open()
        order = self.review_order()
        self.assertEqual(page.card_ids(), order, "every story is on the page, largest first")
        listed = page.js("return Array.from(document.querySelectorAll('article.story')).map(c =>"
                         " [c.id, Array.from(c.querySelectorAll('li.item')).map(i => i.dataset.article)])")
        for story, articles in listed:
            self.assertEqual(articles, self.listing(story), "each article once, a copy under its canonical article")
        run = page.js("return document.getElementById('review').dataset.run")
        self.assertRegex(run, r"^r-[0-9a-f]{16}$")

        editor = driver.find_element(By.ID, "editor")
        editor.send_keys("Test Editor", Keys.TAB)

        # ? shows the keys; Esc closes it.
        driver.find_element(By.TAG_NAME, "h1").click()
        page.press("?")
        self.assertTrue(page.js("return document.getElementById('help').open"))
        self.assertIn("next / previous story", driver.find_element(By.ID, "help").text)
        page.press(Keys.ESCAPE)
        page.wait(lambda d: not page.js("return document.getElementById('help').open"), "the help to close")

        # j, j, k: the focus ring moves story by story.
        page.press("j")
        self.assertEqual(page.focused_story(), order[0])
        page.press("j", "j")
        self.assertEqual(page.focused_story(), order[2])
        page.press("k")
        self.assertEqual(page.focused_story(), order[1])

        # / goes to the filter; typing filters and the URL keeps it; Esc leaves it.
        page.press("/")
        self.assertEqual(driver.switch_to.active_element.get_attribute("id"), "filter-text")
        page.press("minsk")
        page.wait(lambda d: "#filter=minsk" in d.current_url, "the filter in the URL")
        page.wait(lambda d: len(page.card_ids()) == 1, "the filter to keep only the Minsk story")
        self.assertIn("minsk", self.by_id[page.card_ids()[0]]["headline"].lower())
        page.press(Keys.ESCAPE)
        self.assertNotEqual(driver.switch_to.active_element.get_attribute("id"), "filter-text")
        driver.refresh()  # a reload keeps the filter
        page.wait(lambda d: d.execute_script("return document.documentElement.dataset.filtered"), "the filter on reload")
        self.assertEqual(driver.find_element(By.ID, "filter-text").get_attribute("value"), "minsk")
        self.assertEqual(len(page.card_ids()), 1)
        box = driver.find_element(By.ID, "filter-text")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.DELETE, Keys.ESCAPE)
        page.wait(lambda d: len(page.card_ids()) == len(order), "every story again")
        self.assertNotIn("#filter", driver.current_url)
        driver.execute_script("window.scrollTo(0, 0)")

        # x: the second article of the first story is not in it.
        first, second, third, fourth, fifth = order[:5]
        page.press("j", "n", "n")
        removed = page.focused_article()
        self.assertIsNotNone(removed)
        self.assertEqual(removed, self.listing(first)[1])
        page.press("x")
        self.assertEqual(page.judged_articles(first), [removed])

        # m: the next article moves to the fifth story, picked by words of its headline.
        page.press("n")
        moved = page.focused_article()
        page.press("m")
        page.pick_story(" ".join(self.by_id[fifth]["headline"].split()[:4]))
        self.assertEqual(page.judged_articles(first), [removed, moved])
        self.assertIn("moved here from", driver.find_element(By.ID, fifth).text)

        # g: the second and third stories are one story.
        page.press("j")
        self.assertEqual(page.focused_story(), second)
        page.press("g")
        page.pick_story(" ".join(self.by_id[third]["headline"].split()[:3]))
        self.assertIn("merged", page.badges(second))
        self.assertIn("merged", page.badges(third))

        # c: the fourth story is right.
        page.press("j", "j", "c")
        self.assertEqual(page.focused_story(), fourth)
        self.assertIn("✓ confirmed", page.badges(fourth))
        take_screenshot(driver, first)

        # u takes back the last one; an undo button takes back one of the others.
        page.press("j", "c")
        self.assertIn("✓ confirmed", page.badges(fifth))
        page.press("u")
        self.assertNotIn("✓ confirmed", page.badges(fifth))
        page.press("k", "k", "k", "k", "n")
        self.assertEqual(page.focused_story(), first)
        extra = page.focused_article()
        page.press("x")
        self.assertEqual(len(page.judged_articles(first)), 3)
        # The ledger lists the story's judgements oldest first: the last line is the one just made.
        driver.find_element(By.ID, first).find_elements(By.CSS_SELECTOR, ".ledger button")[-1].click()
        self.assertEqual(page.judged_articles(first), [removed, moved])
        self.assertEqual(page.judgement_count(), 4)

        # Export: judgements.json, as the schema says.
        driver.find_element(By.ID, "export").click()
        exported = wait_for_file(os.path.join(downloads, "judgements.json"))
        with open(exported, encoding="utf-8") as file:
            judgements = json.load(file)
        self.check_export(judgements, run, {
            "remove": (removed, [first]), "move": (moved, [first, fifth]),
            "merge": (None, [second, third]), "confirm": (None, [fourth])})

        # A reload keeps them (localStorage).
        driver.refresh()
        page.open()
        self.assertEqual(page.judgement_count(), 4)
        self.assertEqual(page.judged_articles(first), [removed, moved])
        self.assertIn("✓ confirmed", page.badges(fourth))
        self.assertIn("merged", page.badges(second))

        # A fresh profile knows none of them until the file is imported; importing twice adds nothing.
        other, _ = self.new_browser("colleague")
        fresh = Page(other, self.url).open()
        self.assertEqual(fresh.judgement_count(), 0)
        self.assertEqual(fresh.judged_articles(first), [])
        for _ in range(2):
            other.find_element(By.ID, "import").send_keys(exported)
            fresh.wait(lambda d: "Imported" in d.find_element(By.ID, "status").text, "the import")
        self.assertEqual(fresh.judgement_count(), 4)
        self.assertEqual(fresh.judged_articles(first), [removed, moved])
        self.assertIn("✓ confirmed", fresh.badges(fourth))
        self.assertIn("merged", fresh.badges(third))

        self.next_night_with_judgements(exported, moved=moved, into=fifth, removed=removed, out_of=first,
                                        merged=(second, third), confirmed=fourth)

    def listing(self, story):
        """The story's articles in the order the page lists them: canonical ones, each followed by its copies."""
        entry = self.by_id[story]
        groups = {group["id"]: group["members"] for group in entry["duplicate_groups"]}
        members = {member["id"]: member for member in entry["members"]}
        order = []
        for member in entry["members"]:
            if member["canonical"] and member["id"] not in order:
                order.append(member["id"])
                for copy in groups.get(member.get("duplicate_group"), []):
                    if copy in members and not members[copy]["canonical"] and copy not in order:
                        order.append(copy)
        return order + [m["id"] for m in entry["members"] if m["id"] not in order]

    def check_export(self, file, run, expected):
        self.assertEqual(file["schema"], "newscluster.judgements/1")
        self.assertEqual(file["run"], run)
        self.assertEqual(file["editor"], "Test Editor")
        self.assertRegex(file["exported"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        judgements = file["judgements"]
        self.assertEqual(sorted(j["action"] for j in judgements), sorted(expected), "undone judgements are not exported")
        self.assertEqual(len({j["id"] for j in judgements}), len(judgements), "ids are unique")
        members = {story["id"]: [m["id"] for m in story["members"]] for story in self.stories}
        anchor = {story["id"]: story["headline_article"] for story in self.stories}
        # The story as the page showed it when the judgement was made: articles judged out of
        # it by earlier judgements are no longer its members (the page's documented rule).
        out = {}
        for j in judgements:
            for key in ("id", "action", "time", "editor", "stories", "must_link", "cannot_link"):
                self.assertIn(key, j)
            self.assertTrue(j["id"].startswith("j-" + run + "-"), j["id"])
            self.assertRegex(j["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
            self.assertEqual(j["editor"], "Test Editor")
            article, stories = expected[j["action"]]
            self.assertEqual([s["id"] for s in j["stories"]], stories)
            for story in j["stories"]:
                self.assertIn(story["id"], self.by_id, "story ids exist in stories.json")
                self.assertEqual(story["headline"], self.by_id[story["id"]]["headline"])
            for pair in j["must_link"] + j["cannot_link"]:
                self.assertEqual(len(pair), 2)
                self.assertTrue(all(any(a in m for m in members.values()) for a in pair), "article ids exist in stories.json")

            def current(story):
                return [m for m in members[story] if m not in out.get(story, set())]
            if j["action"] in ("remove", "move"):
                self.assertEqual(j["article"], article)
                self.assertIn(article, members[stories[0]])
                self.assertEqual(sorted(j["cannot_link"]), sorted([article, m] for m in current(stories[0]) if m != article))
                if j["action"] == "remove":
                    self.assertEqual(j["must_link"], [])
                else:
                    self.assertEqual(j["must_link"], [[article, anchor[stories[1]]]])
                out.setdefault(stories[0], set()).add(article)
            elif j["action"] == "merge":
                self.assertNotIn("article", j)
                head = anchor[stories[0]]
                union = current(stories[0]) + [m for m in current(stories[1]) if m not in current(stories[0])]
                self.assertEqual(sorted(j["must_link"]), sorted([m, head] for m in union if m != head))
                self.assertEqual(j["cannot_link"], [])
            else:
                head = anchor[stories[0]]
                self.assertEqual(sorted(j["must_link"]), sorted([m, head] for m in current(stories[0]) if m != head))
                self.assertEqual(j["cannot_link"], [])

    # ------------------------------------------------------------------ the next step
    def next_night_with_judgements(self, judgements_file, moved, into, removed, out_of, merged, confirmed):
        """The next night is given the exported file (`cluster --judgements`) and obeys every
        judgement: the removed and the moved article leave their story, the moved one joins
        the story it was moved to, the merged stories are one, the confirmed one holds; the new
        page shows the moved article in its new story, marked as shaped by editors."""
        night = os.path.join(self.work, "night-2")
        cluster([DEMO], night, "--judgements", judgements_file)
        story_of = {}
        with open(os.path.join(night, "articles.jsonl"), encoding="utf-8") as file:
            for line in file:
                article = json.loads(line)
                story_of[article["id"]] = article["story"]
        members = {story["id"]: [m["id"] for m in story["members"]] for story in self.stories}
        self.assertEqual(story_of[moved], story_of[self.by_id[into]["headline_article"]],
                         "the moved article is in the story it was moved to")
        for mate in members[out_of]:
            if mate not in (removed, moved):
                self.assertNotEqual(story_of[removed], story_of[mate], "the removed article left its story")
                self.assertNotEqual(story_of[moved], story_of[mate], "the moved article left its story")
        self.assertEqual(len({story_of[a] for a in members[merged[0]] + members[merged[1]]}), 1,
                         "the merged stories are one story")
        self.assertEqual(len({story_of[a] for a in members[confirmed]}), 1, "the confirmed story holds")
        # The tool's own measure agrees: every judgement of the file is satisfied.
        score = subprocess.run([BINARY, "evaluate", "--judgements", judgements_file, "--run", night, "--json"],
                               capture_output=True, text=True, check=True)
        satisfied = json.loads(score.stdout)["all"]
        self.assertEqual((satisfied["satisfied"], satisfied["scored"]), (4, 4), score.stdout)
        with open(os.path.join(night, "run.json"), encoding="utf-8") as file:
            self.assertEqual(json.load(file)["judgements"]["warnings"], [])
        driver, _ = self.new_browser("night-2")
        page = Page(driver, "file://" + os.path.join(night, "report.html")).open()
        story = page.js("return document.querySelector('li.item[data-article=\"' + arguments[0] + '\"]')"
                        ".closest('article.story').id", moved)
        self.assertEqual(story, story_of[moved])
        self.assertIn("shaped by editors", page.badges(story))

    # ------------------------------------------------------------------ stories editors shaped
    def test_a_story_shaped_by_editors_carries_the_mark(self):
        # Until a run takes --judgements, the stages make one: describe's output with a
        # story's `judgements` filled in, then the report stage alone.
        stages = os.path.join(self.work, "stages")
        os.makedirs(stages, exist_ok=True)
        previous = os.path.join(stages, "read.json")
        subprocess.run([BINARY, "stage", "read", DEMO, "--out", previous, "--quiet"], check=True)
        for stage in ("clean", "tokenize", "vectorize", "neighbors", "group", "describe"):
            output = os.path.join(stages, stage + ".json")
            subprocess.run([BINARY, "stage", stage, "--in", previous, "--out", output, "--quiet"], check=True)
            previous = output
        with open(previous, encoding="utf-8") as file:
            described = json.load(file)
        shaped = described["output"]["storiesFile"]["stories"][0]
        shaped["judgements"] = ["j-r-0000000000000000-1-abc"]
        with open(previous, "w", encoding="utf-8") as file:
            json.dump(described, file)
        out = os.path.join(self.work, "shaped-reports")
        subprocess.run([BINARY, "stage", "report", "--in", previous, "--out", out, "--quiet"], check=True)
        driver, _ = self.new_browser("shaped")
        page = Page(driver, "file://" + os.path.join(out, "report.html")).open()
        marked = [story for story in page.card_ids() if "shaped by editors" in page.badges(story)]
        self.assertEqual(marked, [shaped["id"]])

    # ------------------------------------------------------------------ the address
    def test_the_address_opens_the_page_filtered_by_source_and_survives_a_stray_percent(self):
        driver, _ = self.new_browser("address")
        source = "Kyiv Ledger"
        expected = [s for s in self.review_order() if any(x["name"] == source for x in self.by_id[s]["sources"])]
        page = Page(driver, self.url + "#source=" + source.replace(" ", "%20")).open()
        self.assertTrue(0 < len(expected) < len(self.stories))
        self.assertEqual(page.card_ids(), expected)
        self.assertEqual(driver.find_element(By.ID, "shown").text, str(len(expected)))
        page = Page(driver, self.url.replace("report.html", "report.html?again") + "#filter=100%").open()
        self.assertEqual(driver.find_element(By.ID, "filter-text").get_attribute("value"), "100%")
        self.assertIn("No story matches", driver.find_element(By.ID, "stories").text)

    # ------------------------------------------------------------------ hostile input
    def test_hostile_text_is_shown_as_text_and_only_web_urls_are_links(self):
        corpus = os.path.join(self.work, "hostile")
        os.makedirs(corpus, exist_ok=True)
        text = "Harbor bridge reopens after repairs. The city council voted on the budget for the bridge. " * 3
        records = [
            {"id": "h1", "title": "<img src=x onerror=\"window.__pwned=1\"> bridge", "text": text, "source": "<b>Gazette</b>",
             "url": "javascript:window.__pwned=2"},
            {"id": "h2\"><script>window.__pwned=3</script>", "title": "</script><script>window.__pwned=4</script>",
             "text": text + " again", "source": "Herald", "url": "data:text/html,<script>window.__pwned=5</script>"},
            {"id": "h3", "title": "Quote \" ' & \u202eevil\u202c", "text": text + " more", "source": "Post",
             "url": "https://post.example/bridge?a=1&b=\"2\""},
        ]
        with open(os.path.join(corpus, "articles.jsonl"), "w", encoding="utf-8") as file:
            for record in records:
                file.write(json.dumps(record) + "\n")
        out = os.path.join(self.work, "hostile-reports")
        cluster([corpus], out)
        driver, _ = self.new_browser("hostile")
        page = Page(driver, "file://" + os.path.join(out, "report.html")).open()
        self.assertIsNone(page.js("return window.__pwned === undefined ? null : window.__pwned"))
        self.assertEqual(page.js("return document.querySelectorAll('main img, main script, main b').length"), 0)
        titles = page.js("return Array.from(document.querySelectorAll('li.item > .row > a bdi')).map(b => b.textContent)")
        self.assertEqual(sorted(titles), sorted(r["title"] for r in records))
        links = page.js("return Array.from(document.querySelectorAll('main a[href]')).map(a => a.getAttribute('href'))")
        self.assertTrue(all(re.match(r"^(https?://|#)", link) for link in links), links)
        self.assertIn('https://post.example/bridge?a=1&b="2"', links)


def take_screenshot(driver, story):
    """The README's picture: the page with judgements on it (NEWSCLUSTER_SCREENSHOT=path)."""
    path = os.environ.get("NEWSCLUSTER_SCREENSHOT")
    if not path:
        return
    driver.execute_script("document.getElementById(arguments[0]).scrollIntoView({block: 'start'}); window.scrollBy(0, -120);", story)
    time.sleep(0.2)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    driver.save_screenshot(path)


def wait_for_file(path, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return path
        time.sleep(0.1)
    raise AssertionError("no download at " + path)


def _descending(text):
    """A sort key that orders ISO date-times latest first."""
    return [-ord(character) for character in text] + [1]


if __name__ == "__main__":
    if missing():
        print("test_review_page: skipped: " + missing(), file=sys.stderr)
    unittest.main(verbosity=2)
