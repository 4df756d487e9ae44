#!/usr/bin/env python3
"""Build the newscluster demo corpus.

Reads every Corpora/demo/source/*.txt (hand-written stories, one file per story) and writes
Corpora/demo/articles.jsonl (the tool's input: scraped-looking pages) and Corpora/demo/gold.tsv
(the answer key). Deterministic: stdlib only, fixed seed, every random choice is seeded from the
seed plus a stable key (story label, article position, outlet), so rebuilding gives byte-identical
files and adding a story does not change the text of pages built from other stories (only their
related-news teasers and the line order may change).

Usage: python3 Corpora/demo/build_demo.py [--quiet]
"""

import datetime as dt
import hashlib
import json
import random
import re
import sys
from pathlib import Path

SEED = 20201005
HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE / "source"
OUT_ARTICLES = HERE / "articles.jsonl"
OUT_GOLD = HERE / "gold.tsv"

LANGUAGES = ("en", "uk", "ru")
TEASER_POOL_SIZE = 24
# Syndicated copies are not dated after this instant (end of 2020-10-11 in Kyiv/Moscow).
WINDOW_END = dt.datetime(2020, 10, 11, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=3)))

# --------------------------------------------------------------------------------------------
# Outlets (all fictional; .example domains)
# --------------------------------------------------------------------------------------------
# lang: language of the site's boilerplate; offset: UTC offset in minutes; authors: author lines
# (one chosen per page); related: header of the related-news block; extra_before / extra_after:
# optional fixed line before the article body / after the author line; repeat_title: headline
# repeated as the first line of the text (title_period: with a full stop added); title_suffix:
# appended to the `title` field; teasers: (min, max) teasers per page; teaser_cut: blurbs longer
# than this many characters are cut with "..." (None: full first sentence); credit: credit-line
# patterns for syndicated copies; url: URL pattern (see make_url).
OUTLETS = {
    "Harbor City Gazette": dict(
        abbr="hcg", domain="www.harborcitygazette.example", lang="en", offset=-4 * 60,
        tagline="The Harbor City Gazette: local eyes on world news since 1911. Subscribe for "
                "unlimited access to breaking news, analysis and opinion.",
        authors=["By Gazette Staff", "By Gazette Staff and wire reports"],
        related="Read also",
        extra_before=None, extra_after="© 2020 Harbor City Gazette. All rights reserved.",
        repeat_title=False, title_period=False, title_suffix="",
        teasers=(6, 8), teaser_cut=160, teaser_title_period=False,
        credit=["Source: {orig}"],
        url="https://{domain}/news/world/{y}/{m}/{d}/{slug}"),
    "Northline Today": dict(
        abbr="nlt", domain="northlinetoday.example", lang="en", offset=60,
        tagline="Northline Today brings you breaking news, analysis and opinion from Britain and "
                "around the world, updated around the clock.",
        authors=["Author: Northline Today newsroom", "Author: Hannah Greer",
                 "Author: Tom Ashworth"],
        related="More from Northline",
        extra_before=None, extra_after=None,
        repeat_title=True, title_period=False, title_suffix=" | Northline Today",
        teasers=(6, 9), teaser_cut=None, teaser_title_period=False,
        credit=["Source: {orig}", "This article was first published by {orig}."],
        url="https://{domain}/world/{slug}-{num}"),
    "Kyiv Ledger": dict(
        abbr="kl", domain="kyivledger.example", lang="en", offset=3 * 60,
        tagline="Read the top news of politics in Ukraine and the world — the latest news from "
                "the Kyiv Ledger newsroom.",
        authors=["Author: Kyiv Ledger"],
        related="Новини по темі",
        extra_before=None, extra_after=None,
        repeat_title=True, title_period=True, title_suffix="",
        teasers=(8, 10), teaser_cut=190, teaser_title_period=True,
        credit=["Source: {orig}"],
        url="https://{domain}/{langpath}/world/{num}-{slug}.html"),
    "Eastern Signal": dict(
        abbr="es", domain="easternsignal.example", lang="en", offset=6 * 60,
        tagline="Eastern Signal — independent reporting from Central Asia, the Caucasus and beyond.",
        authors=["Author: Eastern Signal correspondent", "Author: Eastern Signal desk"],
        related="Related stories",
        extra_before=None, extra_after="Follow Eastern Signal on Telegram for breaking updates.",
        repeat_title=False, title_period=False, title_suffix="",
        teasers=(6, 8), teaser_cut=150, teaser_title_period=False,
        credit=["(via {orig})"],
        url="https://{domain}/{y}/{m}/{d}/{slug}/"),
    "Global Brief 24": dict(
        abbr="gb", domain="globalbrief24.example", lang="en", offset=0,
        tagline="Global Brief 24: the world's news in minutes, around the clock.",
        authors=["By Global Brief 24 desk"],
        related="Top stories",
        extra_before="Advertisement", extra_after=None,
        repeat_title=False, title_period=False, title_suffix="",
        teasers=(7, 10), teaser_cut=120, teaser_title_period=False,
        credit=["Source: {orig}"],
        url="https://{domain}/story/{num}"),
    "Metro Pulse Network": dict(
        abbr="mpn", domain="www.metropulse.example", lang="en", offset=-5 * 60,
        tagline="Metro Pulse Network — news, weather and the stories behind the headlines.",
        authors=["Reporting by Metro Pulse Network staff",
                 "Reporting by Dana Whitfield; editing by Mark Ostrowski"],
        related="Trending now",
        extra_before=None, extra_after=None,
        repeat_title=False, title_period=False, title_suffix="",
        teasers=(6, 8), teaser_cut=None, teaser_title_period=False,
        credit=["(via {orig})", "Source: {orig}"],
        url="https://{domain}/news/{slug}"),
    "Continental Wire": dict(
        abbr="cw", domain="continentalwire.example", lang="en", offset=2 * 60,
        tagline="Continental Wire delivers fast, accurate news on European politics, business "
                "and markets.",
        authors=["By Continental Wire staff", "Reporting by Continental Wire correspondents"],
        related="More news",
        extra_before="Share this article: Facebook · X · LinkedIn · Email", extra_after=None,
        repeat_title=False, title_period=False, title_suffix="",
        teasers=(6, 9), teaser_cut=170, teaser_title_period=False,
        credit=["Source: {orig}"],
        url="https://{domain}/{y}-{m}-{d}/{slug}"),
    "Pacific Courier": dict(
        abbr="pc", domain="pacificcourier.example", lang="en", offset=-7 * 60,
        tagline="Pacific Courier — West Coast news and views, with the world's top stories "
                "every morning.",
        authors=["By Courier Staff"],
        related="You may also like",
        extra_before=None, extra_after="Advertisement",
        repeat_title=True, title_period=False, title_suffix="",
        teasers=(6, 8), teaser_cut=140, teaser_title_period=False,
        credit=["Source: {orig}", "(via {orig})"],
        url="https://{domain}/world/{y}/{m}/{d}/{slug}.html"),
    "Мир Сегодня": dict(
        abbr="ms", domain="mirsegodnya.example", lang="ru", offset=3 * 60,
        tagline="Главные новости России и мира — оперативно и без лишних слов. Читайте «Мир Сегодня».",
        authors=["Автор: редакция «Мир Сегодня»", "Автор: Ольга Веснина"],
        related="Читайте также",
        extra_before=None,
        extra_after="Подписывайтесь на «Мир Сегодня» в Telegram, чтобы не пропустить главное.",
        repeat_title=True, title_period=False, title_suffix=" — Мир Сегодня",
        teasers=(6, 9), teaser_cut=170, teaser_title_period=False,
        credit=["Источник: {orig}"],
        url="https://{domain}/news/{y}/{m}/{d}/{num}.html"),
    "Вечерний Курьер": dict(
        abbr="vk", domain="vkurier.example", lang="ru", offset=3 * 60,
        tagline="«Вечерний Курьер» — новости политики, экономики и общества. Всё самое важное за день.",
        authors=["Автор: Сергей Ларин", "Автор: «Вечерний Курьер»"],
        related="Другие новости",
        extra_before=None,
        extra_after="© Вечерний Курьер, 2020. При перепечатке ссылка на источник обязательна.",
        repeat_title=False, title_period=False, title_suffix="",
        teasers=(6, 8), teaser_cut=None, teaser_title_period=False,
        credit=["Источник: {orig}", "По материалам {orig}"],
        url="https://{domain}/{slug}-{num}"),
    "Дніпро Інформ": dict(
        abbr="di", domain="dniproinform.example", lang="uk", offset=3 * 60,
        tagline="Найважливіші новини України та світу — читайте на сайті «Дніпро Інформ».",
        authors=["Автор: Дніпро Інформ"],
        related="Новини по темі",
        extra_before=None,
        extra_after="Підписуйтесь на наш Telegram-канал, щоб першими дізнаватися головні новини.",
        repeat_title=True, title_period=True, title_suffix="",
        teasers=(8, 10), teaser_cut=180, teaser_title_period=True,
        credit=["Джерело: {orig}"],
        url="https://{domain}/news/{num}-{slug}"),
    "Новини Поділля": dict(
        abbr="np", domain="podillia-news.example", lang="uk", offset=3 * 60,
        tagline="Новини Поділля: події регіону, України та світу щодня.",
        authors=["Автор: Оксана Левчук", "Автор: редакція «Новин Поділля»"],
        related="Читайте також",
        extra_before=None, extra_after=None,
        repeat_title=False, title_period=False, title_suffix="",
        teasers=(6, 8), teaser_cut=150, teaser_title_period=False,
        credit=["Джерело: {orig}", "За матеріалами {orig}"],
        url="https://{domain}/{y}/{m}/{d}/{num}.html"),
}

# --------------------------------------------------------------------------------------------
# Edit resources for syndicated copies
# --------------------------------------------------------------------------------------------
SYNONYMS = {
    "en": {
        "said": "stated", "protesters": "demonstrators", "demonstrators": "protesters",
        "injured": "wounded", "wounded": "injured", "large": "big", "big": "large",
        "began": "started", "started": "began", "announced": "declared",
        "scientists": "researchers", "researchers": "scientists", "warned": "cautioned",
        "negotiations": "talks", "agreement": "deal", "deal": "agreement", "nearly": "almost",
        "almost": "nearly", "about": "around", "around": "about", "quickly": "rapidly",
        "officials": "authorities", "authorities": "officials", "huge": "enormous",
        "giant": "huge", "destroyed": "wrecked", "residents": "locals", "seized": "captured",
        "freed": "released", "jailed": "imprisoned", "imprisoned": "jailed",
        "detained": "arrested", "arrested": "detained", "crowds": "throngs",
        "percent": "per cent", "important": "significant", "expected": "anticipated",
        "several": "a number of", "later": "subsequently", "main": "principal",
        "rose": "climbed", "urged": "called on", "meeting": "session", "building": "complex",
        "experts": "specialists", "workers": "employees", "employees": "workers",
    },
    "ru": {
        "заявил": "сообщил", "сообщил": "заявил", "заявила": "сообщила", "сообщила": "заявила",
        "около": "примерно", "примерно": "приблизительно", "более": "свыше", "свыше": "более",
        "протестующие": "демонстранты", "демонстранты": "протестующие", "сказал": "отметил",
        "отметил": "подчеркнул", "подчеркнул": "отметил", "однако": "впрочем",
        "сейчас": "теперь", "теперь": "сейчас", "обязаны": "должны", "должны": "обязаны",
        "сотрудников": "работников", "сотрудники": "работники", "работники": "сотрудники",
        "горожан": "жителей", "эксперты": "специалисты", "специалисты": "эксперты",
        "быстро": "оперативно", "задержали": "арестовали",
    },
    "uk": {
        "заявив": "повідомив", "повідомив": "заявив", "заявила": "повідомила",
        "повідомила": "заявила", "близько": "приблизно", "приблизно": "орієнтовно",
        "протестувальники": "демонстранти", "демонстранти": "протестувальники",
        "сказав": "зазначив", "зазначив": "наголосив", "наголосив": "зазначив",
        "однак": "проте", "проте": "однак", "зараз": "нині", "нині": "зараз",
        "швидко": "оперативно", "понад": "більш ніж", "працівники": "співробітники",
        "співробітники": "працівники", "фахівці": "експерти", "експерти": "фахівці",
        "мешканців": "жителів", "жителів": "мешканців", "водночас": "разом з тим",
    },
}
# These synonyms are only swapped before a number ("about 590" -> "around 590").
NUMERIC_NEXT = {"about", "around", "nearly", "almost", "около", "близько"}
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "a", "half", "dozens", "hundreds", "thousands", "двух", "трех", "трёх", "двох",
                "трьох", "половини", "сотни", "тысячи", "сотні", "тисячі"}
DROPPABLE = {
    "en": {"also", "still", "very", "just", "already", "really"},
    "ru": {"также", "уже", "ещё", "еще", "очень", "именно"},
    "uk": {"також", "вже", "ще", "дуже", "саме"},
}
# "that" after a reporting verb can be dropped in English ("said that he" -> "said he").
THAT_AFTER = {"said", "says", "warned", "added", "believe", "believes", "stressed", "insists"}
# A filler inserted before a reporting verb ("Lagarde said" -> "Lagarde also said").
FILLER_BEFORE = {
    "en": ("also", {"said", "called", "warned", "urged", "told", "added"}),
    "ru": ("также", {"заявил", "заявила", "сообщил", "сообщила", "отметил", "отметила"}),
    "uk": ("також", {"заявив", "заявила", "повідомив", "повідомила", "зазначив", "зазначила"}),
}
# Sentence openers inserted before a sentence whose first word can safely be lower-cased.
OPENERS = {
    "en": ["Notably,", "Indeed,", "At the same time,"],
    "ru": ["При этом", "Кроме того,", "Отметим, что"],
    "uk": ["Водночас", "Крім того,", "Зазначимо, що"],
}
LOWERABLE_FIRST = {
    "en": {"the", "a", "an", "it", "he", "she", "they", "this", "that", "these", "those",
           "several", "some", "many", "most", "both", "his", "her", "its", "their", "there",
           "no", "one", "two", "three", "officials", "police", "scientists", "analysts"},
    "ru": {"в", "на", "по", "он", "она", "они", "это", "как", "при", "после", "его", "ее",
           "её", "их", "власти", "полиция"},
    "uk": {"у", "в", "на", "по", "він", "вона", "вони", "це", "як", "після", "його", "її",
           "їх", "влада", "поліція"},
}
TITLE_PREFIXES = {
    "en": ["UPDATE: ", "Breaking: ", "Latest: "],
    "ru": ["Срочно: ", "Обновлено: "],
    "uk": ["Терміново: ", "Оновлено: "],
}
TITLE_SUFFIXES = {
    "en": [" - report", " (update)", " — reports"],
    "ru": [" — СМИ", " (обновлено)"],
    "uk": [" — ЗМІ", " (оновлено)"],
}
EN_SMALL = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to",
            "after", "with", "from", "into", "its", "is"}
ABBREVIATIONS = {"a.m.", "p.m.", "u.s.", "mr.", "mrs.", "ms.", "dr.", "st.", "sept.", "oct.",
                 "nov.", "dec.", "jan.", "feb.", "aug.", "gen.", "gov.", "т.", "г.", "д.", "р.",
                 "ст.", "им."}

TRANSLIT = dict(zip(
    "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "g", "d", "e", "ie", "e", "zh", "z", "i", "i", "i", "i", "k", "l", "m",
     "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
     "iu", "ia"]))


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def rng_for(*parts):
    """An independent RNG for one decision, seeded from SEED and a stable key."""
    return random.Random("|".join([str(SEED)] + [str(p) for p in parts]))


def short_hash(*parts, n=6):
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:n]


def num_for(*parts, digits=7):
    h = int(hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest(), 16)
    return str(10 ** (digits - 1) + h % (9 * 10 ** (digits - 1)))


def slugify(title, max_words=9):
    s = "".join(TRANSLIT.get(ch, ch) for ch in title.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return "-".join(s.split("-")[:max_words])


def first_sentence(paragraph):
    tokens = paragraph.split(" ")
    for i, tok in enumerate(tokens[:-1]):
        if tok.endswith((".", "!", "?", ".»", '."', "?»", "!»")) \
                and tok.lower().lstrip("«\"(") not in ABBREVIATIONS \
                and not re.fullmatch(r"[A-ZА-ЯІЇЄҐ]\.", tok):
            nxt = tokens[i + 1]
            if nxt[:1].isupper() or nxt[:1] in "«\"":
                return " ".join(tokens[:i + 1])
    return paragraph


def cut(text, limit):
    if limit is None or len(text) <= limit:
        return text
    head = text[:limit]
    head = head[:head.rfind(" ")] if " " in head else head
    return head.rstrip(",;:—-– ") + "..."


def with_period(title):
    return title if title[-1:] in ".!?…»\")" else title + "."


def split_token(tok):
    m = re.fullmatch(r"([^\w]*)([\w'’-]+?)([^\w]*)", tok)
    return (m.group(1), m.group(2), m.group(3)) if m else None


def match_case(word, template):
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# --------------------------------------------------------------------------------------------
# Source parsing
# --------------------------------------------------------------------------------------------
class SourceError(Exception):
    pass


def parse_source(path):
    label = path.stem
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    chunks = re.split(r"^=== article[ \t]*$", text, flags=re.M)
    if chunks[0].strip():
        raise SourceError(f"{path.name}: text before the first '=== article'")
    articles = []
    for index, chunk in enumerate(chunks[1:], start=1):
        chunk = chunk.strip("\n")
        head, _, body = chunk.partition("\n\n")
        fields = {}
        for line in head.splitlines():
            key, sep, value = line.partition(":")
            if not sep:
                raise SourceError(f"{path.name} article {index}: bad header line {line!r}")
            fields[key.strip().lower()] = value.strip()
        for key in ("outlet", "language", "published", "title"):
            if not fields.get(key):
                raise SourceError(f"{path.name} article {index}: missing {key}")
        if fields["outlet"] not in OUTLETS:
            raise SourceError(f"{path.name} article {index}: unknown outlet {fields['outlet']!r}")
        if fields["language"] not in LANGUAGES:
            raise SourceError(f"{path.name} article {index}: bad language {fields['language']!r}")
        try:
            published = dt.datetime.fromisoformat(fields["published"])
        except ValueError:
            raise SourceError(f"{path.name} article {index}: bad date {fields['published']!r}")
        if published.tzinfo is None:
            raise SourceError(f"{path.name} article {index}: published needs a UTC offset")
        syndicate = [s.strip() for s in fields.get("syndicate", "").split(",") if s.strip()]
        for s in syndicate:
            if s not in OUTLETS:
                raise SourceError(f"{path.name} article {index}: unknown syndicate outlet {s!r}")
            if s == fields["outlet"]:
                raise SourceError(f"{path.name} article {index}: syndicated to its own outlet")
        if len(set(syndicate)) != len(syndicate):
            raise SourceError(f"{path.name} article {index}: duplicate syndicate outlet")
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
        if not paragraphs:
            raise SourceError(f"{path.name} article {index}: empty body")
        nwords = sum(len(p.split()) for p in paragraphs)
        if not 150 <= nwords <= 350 or not 3 <= len(paragraphs) <= 7:
            print(f"warning: {path.name} article {index} ({fields['outlet']}): {nwords} words, "
                  f"{len(paragraphs)} paragraphs (wanted 150-350 words, 3-7 paragraphs)",
                  file=sys.stderr)
        articles.append(dict(
            story=label, index=index, outlet=fields["outlet"], language=fields["language"],
            published=published, title=" ".join(fields["title"].split()),
            paragraphs=paragraphs, syndicate=syndicate))
    if not articles:
        raise SourceError(f"{path.name}: no articles")
    return articles


# --------------------------------------------------------------------------------------------
# Syndicated copies
# --------------------------------------------------------------------------------------------
def rewrite_title(title, lang, rng):
    def synonym(t):
        words = t.split(" ")
        idx = [i for i, w in enumerate(words)
               if (p := split_token(w)) and p[1].lower() in SYNONYMS[lang]]
        if not idx:
            return t
        i = rng.choice(idx)
        pre, core, post = split_token(words[i])
        words[i] = pre + match_case(SYNONYMS[lang][core.lower()], core) + post
        return " ".join(words)

    def title_case(t):
        if lang != "en":
            return t
        words = t.split(" ")
        last = len(words) - 1
        return " ".join(w if (0 < i < last and w.lower() in EN_SMALL) else w[:1].upper() + w[1:]
                        for i, w in enumerate(words))

    def prefix(t):
        return rng.choice(TITLE_PREFIXES[lang]) + t

    def suffix(t):
        return t + rng.choice(TITLE_SUFFIXES[lang])

    ops = [synonym, title_case, prefix, suffix]
    chosen = rng.sample(ops, rng.choice([1, 1, 2]))
    # keep prefix/suffix last so that they are not title-cased
    chosen.sort(key=lambda f: ops.index(f))
    new = title
    for op in chosen:
        new = op(new)
    if new == title:
        new = prefix(title)
    return new


def edit_body(paragraphs, lang, rng, rate=0.03):
    paras = [p.split(" ") for p in paragraphs]
    nwords = sum(len(p) for p in paras)
    n_edits = max(1, round(rate * nwords))
    touched = set()
    opener_used = False
    done = 0

    def candidates(kind):
        out = []
        for pi, toks in enumerate(paras):
            for ti, tok in enumerate(toks):
                if (pi, ti) in touched:
                    continue
                parts = split_token(tok)
                if not parts:
                    continue
                core = parts[1]
                low = core.lower()
                prev = toks[ti - 1] if ti > 0 else ""
                prev_core = (split_token(prev) or ("", "", ""))[1].lower()
                nxt = toks[ti + 1] if ti + 1 < len(toks) else ""
                if kind == "syn" and low in SYNONYMS[lang]:
                    if low not in NUMERIC_NEXT or nxt[:1].isdigit() or \
                            nxt.lower().strip(",.") in NUMBER_WORDS:
                        out.append((pi, ti))
                elif kind == "spell" and lang == "ru" and "ё" in core:
                    out.append((pi, ti))
                elif kind == "spell" and lang == "uk" and ("'" in core or "’" in core):
                    out.append((pi, ti))
                elif kind == "drop" and len(toks) > 3 and not parts[0] and not parts[2]:
                    if (low in DROPPABLE[lang] and core == low) or \
                            (lang == "en" and core == "that" and prev_core in THAT_AFTER
                             and not prev.endswith((",", "."))):
                        out.append((pi, ti))
                elif kind == "filler" and low in FILLER_BEFORE[lang][1] and not parts[0] \
                        and ti > 0 and prev_core != FILLER_BEFORE[lang][0] \
                        and not prev.endswith((",", ".", ":")):
                    out.append((pi, ti))
                elif kind == "opener" and (ti == 0 or prev.endswith((".", "!", "?"))) \
                        and not parts[0] and low in LOWERABLE_FIRST[lang]:
                    out.append((pi, ti))
        return out

    kinds = ["syn"] * 5 + ["drop"] * 2 + ["filler"] * 2 + ["opener"] + ["spell"] * 2
    attempts = 0
    while done < n_edits and attempts < 200:
        attempts += 1
        kind = rng.choice(kinds)
        if kind == "opener" and opener_used:
            continue
        cands = candidates(kind)
        if not cands:
            continue
        pi, ti = rng.choice(cands)
        toks = paras[pi]
        pre, core, post = split_token(toks[ti])
        if kind == "spell":
            # a copy desk's spelling habits: no "ё" in Russian, typographic apostrophe in Ukrainian
            if lang == "ru":
                new = core.replace("ё", "е")
            else:
                new = core.replace("'", "’") if "'" in core else core.replace("’", "'")
            toks[ti] = pre + new + post
            touched.add((pi, ti))
        elif kind == "syn":
            toks[ti] = pre + match_case(SYNONYMS[lang][core.lower()], core) + post
            touched.add((pi, ti))
        elif kind == "drop":
            del toks[ti]
            touched = {(a, b - 1 if a == pi and b > ti else b) for a, b in touched}
        elif kind == "filler":
            toks.insert(ti, FILLER_BEFORE[lang][0])
            touched = {(a, b + 1 if a == pi and b >= ti else b) for a, b in touched}
            touched.update({(pi, ti), (pi, ti + 1)})
        else:
            toks[ti] = pre + core.lower() + post
            toks.insert(ti, rng.choice(OPENERS[lang]))
            touched = {(a, b + 1 if a == pi and b >= ti else b) for a, b in touched}
            touched.update({(pi, ti), (pi, ti + 1)})
            opener_used = True
        done += 1
    return [" ".join(t) for t in paras]


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------
def make_url(outlet, page_id, title, published, lang):
    o = OUTLETS[outlet]
    return o["url"].format(
        domain=o["domain"], y=f"{published.year:04d}", m=f"{published.month:02d}",
        d=f"{published.day:02d}", slug=slugify(title), num=num_for(o["domain"], page_id),
        langpath={"en": "english", "uk": "ukr", "ru": "rus"}[lang])


def to_outlet_time(when, outlet):
    tz = dt.timezone(dt.timedelta(minutes=OUTLETS[outlet]["offset"]))
    return when.astimezone(tz).replace(microsecond=0)


def build_pages(articles):
    pages = []
    used_ids = set()

    def new_id(outlet, *key):
        pid = f"{OUTLETS[outlet]['abbr']}-{short_hash(*key)}"
        if pid in used_ids:
            raise SystemExit(f"id collision: {pid}")
        used_ids.add(pid)
        return pid

    for art in articles:
        orig_id = new_id(art["outlet"], art["story"], art["index"], art["outlet"])
        group = orig_id if art["syndicate"] else ""
        pages.append(dict(
            id=orig_id, story=art["story"], group=group, outlet=art["outlet"],
            language=art["language"], title=art["title"], paragraphs=art["paragraphs"],
            published=to_outlet_time(art["published"], art["outlet"]), credit=None,
            role="original", orig=art))
        for target in art["syndicate"]:
            rng = rng_for("copy", art["story"], art["index"], target)
            paragraphs = list(art["paragraphs"])
            if len(paragraphs) >= 4 and rng.random() < 0.4:
                paragraphs = paragraphs[:-1]
            paragraphs = edit_body(paragraphs, art["language"], rng)
            title = rewrite_title(art["title"], art["language"], rng)
            # 30 min to 20 h later, but not past the end of the demo's date window
            room = int((WINDOW_END - art["published"]).total_seconds() // 60)
            delay = dt.timedelta(minutes=rng.randint(30, max(30, min(20 * 60, room))))
            credit = None
            if rng.random() < 0.45:
                credit = rng.choice(OUTLETS[target]["credit"]).format(orig=art["outlet"])
            pages.append(dict(
                id=new_id(target, art["story"], art["index"], target),
                story=art["story"], group=group, outlet=target, language=art["language"],
                title=title, paragraphs=paragraphs,
                published=to_outlet_time(art["published"] + delay, target), credit=credit,
                role="copy", orig=art))
    return pages


def teaser_pools(pages):
    """A fixed pool of teaser candidates per outlet: original articles in the site's
    language first (the site's own before others), then the rest (seeded order)."""
    originals = [p for p in pages if p["role"] == "original"]
    pools = {}
    for outlet, o in OUTLETS.items():
        ranked = sorted(originals, key=lambda p: (
            p["language"] != o["lang"], p["outlet"] != outlet,
            short_hash(SEED, "pool", outlet, p["id"], n=12)))
        pools[outlet] = ranked[:TEASER_POOL_SIZE]
    return pools


def render(page, pools):
    o = OUTLETS[page["outlet"]]
    rng = rng_for("page", page["id"])
    parts = []
    if o["repeat_title"]:
        parts.append(with_period(page["title"]) if o["title_period"] else page["title"])
    parts.append(o["tagline"])
    if o["extra_before"]:
        parts.append(o["extra_before"])
    parts.extend(page["paragraphs"])
    if page["credit"]:
        parts.append(page["credit"])
    parts.append(rng.choice(o["authors"]))
    if o["extra_after"]:
        parts.append(o["extra_after"])
    parts.append(o["related"])
    eligible = [p for p in pools[page["outlet"]]
                if p["story"] != page["story"] and p["id"] != page["id"]]
    k = min(len(eligible), rng.randint(*o["teasers"]))
    for t in rng.sample(eligible, k):
        head = with_period(t["title"]) if o["teaser_title_period"] else t["title"]
        parts.append(head)
        parts.append(cut(first_sentence(t["paragraphs"][0]), o["teaser_cut"]))
    return "\n\n".join(parts)


def main():
    quiet = "--quiet" in sys.argv[1:]
    files = sorted(SOURCE_DIR.glob("*.txt"))
    if not files:
        raise SystemExit(f"no source files in {SOURCE_DIR}")
    articles = []
    try:
        for f in files:
            articles.extend(parse_source(f))
    except SourceError as e:
        raise SystemExit(f"error: {e}")

    pages = build_pages(articles)
    pools = teaser_pools(pages)
    records = []
    for page in pages:
        o = OUTLETS[page["outlet"]]
        records.append(dict(
            id=page["id"],
            title=page["title"] + o["title_suffix"],
            text=render(page, pools),
            url=make_url(page["outlet"], page["id"], page["title"], page["published"],
                         page["language"]),
            source=page["outlet"],
            published=page["published"].isoformat(),
            language=page["language"],
        ))
    records.sort(key=lambda r: r["id"])
    random.Random(SEED).shuffle(records)
    with open(OUT_ARTICLES, "w", encoding="utf-8", newline="\n") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    by_id = {p["id"]: p for p in pages}
    with open(OUT_GOLD, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("id\tstory\tduplicate_group\n")
        for pid in sorted(by_id):
            p = by_id[pid]
            fh.write(f"{pid}\t{p['story']}\t{p['group']}\n")

    if quiet:
        return
    stories = sorted({p["story"] for p in pages})
    print(f"wrote {OUT_ARTICLES.relative_to(HERE.parent.parent)} and "
          f"{OUT_GOLD.relative_to(HERE.parent.parent)}")
    print(f"{len(pages)} pages: {sum(p['role'] == 'original' for p in pages)} originals + "
          f"{sum(p['role'] == 'copy' for p in pages)} copies; {len(stories)} stories; "
          f"{len({p['group'] for p in pages if p['group']})} duplicate groups")
    print(f"{'story':32} {'lang':6} {'orig':>4} {'copy':>4} {'pages':>5}  dates")
    for s in stories:
        ps = [p for p in pages if p["story"] == s]
        langs = ",".join(sorted({p["language"] for p in ps}))
        days = sorted(p["published"].astimezone(dt.timezone.utc).date().isoformat() for p in ps)
        print(f"{s:32} {langs:6} {sum(p['role'] == 'original' for p in ps):4d} "
              f"{sum(p['role'] == 'copy' for p in ps):4d} {len(ps):5d}  {days[0]}..{days[-1]}")
    print("per language: " + ", ".join(
        f"{lang}={sum(p['language'] == lang for p in pages)}" for lang in LANGUAGES))
    print("per outlet:   " + ", ".join(
        f"{o}={n}" for o in OUTLETS if (n := sum(p['outlet'] == o for p in pages))))


if __name__ == "__main__":
    main()
