// ~200 fictional news sites with their page boilerplate: tagline, author lines, optional fixed
// lines (advertisement, share bar, copyright, "follow us"), related-news header, teaser format,
// credit lines for syndicated copies, URL pattern, UTC offset and popularity. Domains use the
// reserved `.example` TLD.

import Foundation

struct Site {
    let index: Int
    let name: String
    let nameBytes: [UInt8]
    let abbr: [UInt8]
    let domain: [UInt8]
    let lang: Lang                // language of the boilerplate
    let secondLang: Lang?         // a second language the site also publishes in
    let offsetMinutes: Int
    let tagline: [UInt8]
    let authors: [[UInt8]]
    let related: [UInt8]
    let extraBefore: [UInt8]?
    let extraAfter: [UInt8]?
    let repeatTitle: Bool         // headline repeated as the first paragraph of `text`
    let titlePeriod: Bool         // ... with a full stop
    let titleSuffix: [UInt8]      // appended to the `title` field, e.g. " | Site Name"
    let teaserMin: Int
    let teaserMax: Int
    let teaserCut: Int            // teaser sentence cut at this many characters with "..."; 0: never
    let teaserTitlePeriod: Bool
    let credits: [(prefix: [UInt8], suffix: [UInt8])]
    let urlPattern: Int
    let paragraphSep: [UInt8]
    let weight: Double            // popularity within its language
}

private let enPlaces = ["Harbor City", "Northline", "Eastern", "Pacific", "Continental", "Global",
                        "Metro", "Lakeside", "Riverside", "Bay Area", "Capital", "Midland",
                        "Coastal", "Highland", "Prairie", "Summit", "Valley", "Union", "Liberty",
                        "Atlantic", "Western", "Southern", "Northern", "Central", "Frontier",
                        "Granite", "Maple", "Cedar", "Iron", "Silver", "Evening", "Morning",
                        "Daily", "Weekly", "Open", "Independent", "Citizen", "Harbor", "Pioneer"]
private let enNouns = ["Gazette", "Today", "Ledger", "Signal", "Brief", "Pulse", "Wire", "Courier",
                       "Herald", "Tribune", "Post", "Times", "Journal", "Chronicle", "Observer",
                       "Dispatch", "Bulletin", "Record", "Sentinel", "Review", "Report", "Monitor",
                       "Standard", "Express", "Mirror", "Star", "Telegraph", "Examiner",
                       "Register", "News", "Insider", "Digest", "Voice", "Beacon"]
private let ruAdj = ["Вечерний", "Северный", "Городской", "Новый", "Столичный", "Деловой",
                     "Народный", "Южный", "Восточный", "Западный", "Уральский", "Волжский",
                     "Сибирский", "Утренний", "Честный", "Независимый", "Главный", "Быстрый",
                     "Открытый", "Региональный", "Невский", "Донской"]
private let ruNouns = ["Курьер", "Вестник", "Репортёр", "Обозреватель", "Наблюдатель", "Телеграф",
                       "Экспресс", "Листок", "Взгляд", "Меридиан", "Голос", "Час", "День", "Дозор",
                       "Портал", "Маяк"]
private let ruRegions = ["Приволжья", "Поволжья", "Кубани", "Урала", "Сибири", "Черноземья",
                         "Поморья", "Забайкалья", "Ставрополья", "Прикамья", "Заполярья",
                         "Подмосковья"]
private let ruHeads = ["Мир", "Город", "Край", "Регион", "Страна", "Неделя"]
private let ruTails = ["Сегодня", "Онлайн", "24", "Инфо", "Live", "Плюс"]
private let ukAdj = ["Вечірній", "Північний", "Міський", "Новий", "Столичний", "Діловий",
                     "Народний", "Південний", "Східний", "Західний", "Подільський", "Волинський",
                     "Слобідський", "Ранковий", "Чесний", "Незалежний", "Головний", "Відкритий",
                     "Дніпровський", "Карпатський"]
private let ukNouns = ["Кур'єр", "Вісник", "Репортер", "Оглядач", "Спостерігач", "Телеграф",
                       "Експрес", "Погляд", "Меридіан", "Голос", "Час", "День", "Портал", "Маяк",
                       "Літопис"]
private let ukRegions = ["Поділля", "Волині", "Слобожанщини", "Прикарпаття", "Полісся",
                         "Буковини", "Донеччини", "Черкащини", "Придніпров'я", "Закарпаття",
                         "Запоріжжя", "Полтавщини"]
private let ukHeads = ["Світ", "Місто", "Край", "Регіон", "Країна", "Тиждень"]
private let ukTails = ["Сьогодні", "Онлайн", "24", "Інформ", "Live", "Плюс"]

private let taglines: [[String]] = [
    ["{name}: local eyes on world news. Subscribe for unlimited access to breaking news, analysis and opinion.",
     "{name} brings you breaking news, analysis and opinion from around the world, updated around the clock.",
     "{name} — independent reporting you can trust, every day of the year.",
     "{name}: the world's news in minutes, around the clock.",
     "Read the top news of politics, business and the world — the latest news from the {name} newsroom.",
     "{name} delivers fast, accurate news on politics, business and markets.",
     "{name} — news, weather and the stories behind the headlines.",
     "Welcome to {name}. Sign up for our newsletter to get the day's top stories in your inbox."],
    ["Главные новости России и мира — оперативно и без лишних слов. Читайте «{name}».",
     "«{name}» — новости политики, экономики и общества. Всё самое важное за день.",
     "{name}: последние новости дня, аналитика и комментарии экспертов.",
     "Подписывайтесь на рассылку «{name}», чтобы первыми узнавать о главных событиях.",
     "Самые свежие новости региона, страны и мира на сайте «{name}»."],
    ["Найважливіші новини України та світу — читайте на сайті «{name}».",
     "{name}: події регіону, України та світу щодня.",
     "«{name}» — новини політики, економіки та суспільства. Усе найважливіше за день.",
     "Останні новини дня, аналітика та коментарі експертів на сайті «{name}».",
     "Підписуйтеся на розсилку «{name}», щоб першими дізнаватися про головні події."],
]

private let authorTemplates: [[String]] = [
    ["By {short} Staff", "By {name} staff and wire reports", "Author: {person}",
     "Reporting by {person}; editing by {person2}", "Author: {name} newsroom", "By {person}",
     "{person}, {name} correspondent"],
    ["Автор: {person}", "Автор: редакция «{name}»", "Текст: {person}",
     "{person}, специально для «{name}»"],
    ["Автор: {person}", "Автор: редакція «{name}»", "Текст: {person}",
     "{person}, спеціально для «{name}»"],
]

private let relatedHeaders: [[String]] = [
    ["Read also", "Related stories", "More news", "Top stories", "Trending now", "You may also like",
     "More from {short}", "Latest news", "Editor's picks", "Most read", "Related coverage",
     "What to read next"],
    ["Читайте также", "Другие новости", "Новости по теме", "Главное за день", "Популярное",
     "Смотрите также", "Последние новости", "Выбор редакции"],
    ["Новини по темі", "Читайте також", "Інші новини", "Головне за день", "Популярне",
     "Дивіться також", "Останні новини", "Вибір редакції"],
]

private let extraBefore: [[String]] = [
    ["Advertisement", "Share this article: Facebook · X · LinkedIn · Email", "Listen to this article"],
    ["Реклама", "Поделиться: ВКонтакте · Telegram · WhatsApp"],
    ["Реклама", "Поділитися: Facebook · Telegram · Viber"],
]

private let extraAfter: [[String]] = [
    ["© {year} {name}. All rights reserved.", "Follow {name} on Telegram for breaking updates.",
     "Advertisement", "Sign up for the {short} newsletter to get the day's top stories."],
    ["© {name}, {year}. При перепечатке ссылка на источник обязательна.",
     "Подписывайтесь на «{name}» в Telegram, чтобы не пропустить главное.", "Реклама"],
    ["© {name}, {year}. Усі права захищено.",
     "Підписуйтесь на наш Telegram-канал, щоб першими дізнаватися головні новини.", "Реклама"],
]

private let creditTemplates: [[String]] = [
    ["Source: {orig}", "(via {orig})", "This article was first published by {orig}.",
     "Originally published by {orig}."],
    ["Источник: {orig}", "По материалам {orig}", "Источник: «{orig}»"],
    ["Джерело: {orig}", "За матеріалами {orig}", "Джерело: «{orig}»"],
]

private let offsets: [[Int]] = [
    [-480, -420, -360, -300, -300, -240, -240, 0, 0, 60, 60, 120, 180, 330, 480, 600],
    [180, 180, 180, 180, 240, 300, 420],
    [180, 180, 120],
]

/// Sites per language: about the share of articles in that language (60/25/15).
let siteCounts = [120, 50, 30]

func makeSites(seed: UInt64, year: Int) -> [Site] {
    var rng = Rng(derive(seed, .sites))
    var sites: [Site] = []
    var names = Set<String>()
    var domains = Set<String>()
    for lang in Lang.allCases {
        for rank in 0..<siteCounts[lang.rawValue] {
            let l = lang.rawValue
            // name and short name
            var name = ""
            var short = ""
            repeat {
                let u = rng.unit()
                switch lang {
                case .en:
                    let p = rng.pick(enPlaces), n = rng.pick(enNouns)
                    short = n
                    if u < 0.7 { name = "\(p) \(n)" } else if u < 0.8 { name = "The \(p) \(n)" } else if u < 0.9 { name = "\(p) \(n) 24" } else { name = "\(p) \(n) Network" }
                case .ru:
                    if u < 0.6 { name = "\(rng.pick(ruAdj)) \(rng.pick(ruNouns))" } else if u < 0.8 { name = "Новости \(rng.pick(ruRegions))" } else { name = "\(rng.pick(ruHeads)) \(rng.pick(ruTails))" }
                    short = name
                case .uk:
                    if u < 0.6 { name = "\(rng.pick(ukAdj)) \(rng.pick(ukNouns))" } else if u < 0.8 { name = "Новини \(rng.pick(ukRegions))" } else { name = "\(rng.pick(ukHeads)) \(rng.pick(ukTails))" }
                    short = name
                }
            } while names.contains(name)
            names.insert(name)
            let slug = slugify(name)
            var domain = rng.chance(0.5) ? slug.replacingOccurrences(of: "-", with: "") : slug
            if domains.contains(domain) { domain += "\(rank)" }
            domains.insert(domain)
            let www = rng.chance(0.3)
            let abbr = String(slug.split(separator: "-").map { $0.first! }.prefix(4))

            func person() -> String {
                let female = rng.chance(0.5)
                let fn = rng.pick(female ? firstNames[l].female : firstNames[l].male)
                let kind: NameKind = (lang != .en && !female && rng.chance(0.6)) ? .maleSurname : .anySurname
                return fn + " " + pseudoName(lang, kind, &rng)
            }
            func fill(_ t: String) -> String {
                var s = t.replacingOccurrences(of: "{name}", with: name)
                    .replacingOccurrences(of: "{short}", with: short)
                    .replacingOccurrences(of: "{year}", with: String(year))
                if s.contains("{person2}") { s = s.replacingOccurrences(of: "{person2}", with: person()) }
                if s.contains("{person}") { s = s.replacingOccurrences(of: "{person}", with: person()) }
                return s
            }
            var templates = authorTemplates[l]
            rng.shuffle(&templates)
            let authors = templates.prefix(1 + rng.below(3)).map { Array(fill($0).utf8) }
            let relatedLang = rng.chance(0.05) ? rng.pick(Lang.allCases) : lang
            var credits = creditTemplates[l]
            rng.shuffle(&credits)
            let creditParts: [(prefix: [UInt8], suffix: [UInt8])] = credits.prefix(1 + rng.below(2)).map { t in
                let parts = t.components(separatedBy: "{orig}")
                return (Array(parts[0].utf8), Array(parts[1].utf8))
            }
            let titleSuffix: String
            let ts = rng.unit()
            if ts < 0.06 { titleSuffix = " | \(name)" } else if ts < 0.12 { titleSuffix = " — \(name)" } else if ts < 0.15 { titleSuffix = " - \(name)" } else { titleSuffix = "" }
            let repeatTitle = rng.chance(0.25)
            let teaserMin = rng.int(6, 8)
            var second: Lang? = nil
            if rng.chance(0.12) { second = Lang(rawValue: (l + 1 + rng.below(2)) % 3) }
            let site = Site(
                index: sites.count,
                name: name,
                nameBytes: Array(name.utf8),
                abbr: Array(abbr.utf8),
                domain: Array(((www ? "www." : "") + domain + ".example").utf8),
                lang: lang,
                secondLang: second,
                offsetMinutes: rng.pick(offsets[l]),
                tagline: Array(fill(rng.pick(taglines[l])).utf8),
                authors: authors,
                related: Array(fill(rng.pick(relatedHeaders[relatedLang.rawValue])).utf8),
                extraBefore: rng.chance(0.15) ? Array(fill(rng.pick(extraBefore[l])).utf8) : nil,
                extraAfter: rng.chance(0.35) ? Array(fill(rng.pick(extraAfter[l])).utf8) : nil,
                repeatTitle: repeatTitle,
                titlePeriod: repeatTitle && rng.chance(0.5),
                titleSuffix: Array(titleSuffix.utf8),
                teaserMin: teaserMin,
                teaserMax: min(12, teaserMin + rng.int(2, 4)),
                teaserCut: rng.chance(0.3) ? 0 : rng.int(120, 190),
                teaserTitlePeriod: rng.chance(0.15),
                credits: creditParts,
                urlPattern: rng.below(8),
                paragraphSep: rng.chance(0.8) ? [10, 10] : [10],
                weight: 1 / pow(Double(rank + 1), 0.7))
            sites.append(site)
        }
    }
    return sites
}
