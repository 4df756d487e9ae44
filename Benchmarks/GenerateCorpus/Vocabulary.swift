// Per-language synthetic vocabularies: real high-frequency function words at the top of a Zipf
// ranking, then ~50k pseudo-words built from syllables in the language's script, plus pools of
// capitalized surnames and place names and a short list of real first names.

import Foundation

enum Lang: Int, CaseIterable {
    case en = 0, ru = 1, uk = 2

    var code: String { ["en", "ru", "uk"][rawValue] }
}

/// Immutable table of words stored as UTF-8 in flat buffers: `plain` (as written inside a
/// sentence), `cap` (sentence-initial form; same byte length) and `slug` (ASCII for URLs).
final class WordTable: @unchecked Sendable {
    let count: Int
    let plain: UnsafeMutablePointer<UInt8>
    let cap: UnsafeMutablePointer<UInt8>
    let off: UnsafeMutablePointer<Int32>
    let slug: UnsafeMutablePointer<UInt8>
    let slugOff: UnsafeMutablePointer<Int32>

    init(plain p: [String], cap c: [String]) {
        count = p.count
        let pb = p.flatMap { Array($0.utf8) }
        plain = .allocate(capacity: max(pb.count, 1))
        cap = .allocate(capacity: max(pb.count, 1))
        off = .allocate(capacity: count + 1)
        var o = 0
        for i in 0..<count {
            off[i] = Int32(o)
            let a = Array(p[i].utf8)
            var b = Array(c[i].utf8)
            if b.count != a.count { b = a }  // never happens for our scripts; keep lengths equal
            for k in 0..<a.count {
                plain[o + k] = a[k]
                cap[o + k] = b[k]
            }
            o += a.count
        }
        off[count] = Int32(o)
        let slugs = p.map { Array(slugify($0).utf8) }
        let total = slugs.reduce(0) { $0 + $1.count }
        slug = .allocate(capacity: max(total, 1))
        slugOff = .allocate(capacity: count + 1)
        o = 0
        for i in 0..<count {
            slugOff[i] = Int32(o)
            for k in 0..<slugs[i].count { slug[o + k] = slugs[i][k] }
            o += slugs[i].count
        }
        slugOff[count] = Int32(o)
    }

    func string(_ i: Int) -> String {
        let s = Int(off[i]), e = Int(off[i + 1])
        return String(decoding: UnsafeBufferPointer(start: plain + s, count: e - s), as: UTF8.self)
    }
}

/// One language's vocabulary with index ranges for each kind of word.
final class LangVocab: @unchecked Sendable {
    let lang: Lang
    let table: WordTable
    let functionCount: Int          // [0, functionCount): real function words
    let backgroundCount: Int        // [0, backgroundCount): Zipf background vocabulary
    let zipf: AliasTable
    let maleSurnames: Range<Int>    // surnames for men (and for anyone in English)
    let anySurnames: Range<Int>     // surnames that do not change with gender
    let places: Range<Int>          // places, organisations, brands
    let maleFirst: Range<Int>
    let femaleFirst: Range<Int>
    let inserts: [Int]              // "also", "также", "також": inserted by copy editors
    let openers: [Int]              // "Meanwhile", "При этом": sentence openers (capitalized)

    init(lang: Lang, seed: UInt64, backgroundSize: Int = 50_000, namesPerKind: Int = 20_000,
         zipfExponent: Double = 1.05) {
        self.lang = lang
        var rng = Rng(derive(seed, .vocabulary, UInt64(lang.rawValue)))
        var plain: [String] = []
        var cap: [String] = []
        // 64-bit hashes of the words so far (a collision would only skip a candidate word)
        var seen = Set<UInt64>(minimumCapacity: backgroundSize + 4 * namesPerKind)
        func add(_ p: String, _ c: String) -> Bool {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for b in p.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            if !seen.insert(mix64(h)).inserted { return false }
            plain.append(p)
            cap.append(c)
            return true
        }
        for w in functionWords[lang.rawValue] { _ = add(w, capitalize(w)) }
        functionCount = plain.count
        var rank = functionCount
        while plain.count < backgroundSize {
            let w = pseudoWord(lang, rank: rank, &rng)
            if add(w, capitalize(w)) { rank += 1 }
        }
        backgroundCount = plain.count
        var weights = [Double](repeating: 0, count: backgroundCount)
        for r in 0..<backgroundCount { weights[r] = 1 / pow(Double(r + 1), zipfExponent) }
        zipf = AliasTable(weights: weights)

        func fill(_ kind: NameKind) -> Range<Int> {
            let start = plain.count
            while plain.count < start + namesPerKind {
                let w = pseudoName(lang, kind, &rng)
                _ = add(w, w)
            }
            return start..<plain.count
        }
        maleSurnames = fill(.maleSurname)
        anySurnames = fill(.anySurname)
        places = fill(.place)
        func addList(_ list: [String]) -> Range<Int> {
            let start = plain.count
            for w in list { _ = add(w, w) }
            return start..<plain.count
        }
        maleFirst = addList(firstNames[lang.rawValue].male)
        femaleFirst = addList(firstNames[lang.rawValue].female)
        var ins: [Int] = []
        for w in insertWords[lang.rawValue] {
            if let i = plain.firstIndex(where: { $0.utf8.elementsEqual(w.utf8) }) { ins.append(i) } else if add(w, capitalize(w)) { ins.append(plain.count - 1) }
        }
        inserts = ins
        var ops: [Int] = []
        for w in openerWords[lang.rawValue] where add(w, w) { ops.append(plain.count - 1) }
        openers = ops
        table = WordTable(plain: plain, cap: cap)
    }
}

func capitalize(_ w: String) -> String {
    guard let f = w.first else { return w }
    return String(f).uppercased() + w.dropFirst()
}

// MARK: - Real high-frequency words (top of the Zipf ranking)

let functionWords: [[String]] = [
    // en
    ("the of and to a in that is for on said was with he it as by at from his has have an be are "
     + "not were this they who but had its will after been their also which more would than one "
     + "or about new up two she over into last her we there when all people other against can "
     + "first government could police year some no president officials if while three week "
     + "because before under during since years now what them only told most so country time "
     + "state where city our out being any both those these just between made may including "
     + "such still many through told group percent minister local according day should part "
     + "former national later another four added").split(separator: " ").map(String.init),
    // ru
    ("и в не на что с по он как о к это из за а но у от для его до также так было же при она "
     + "они был все ее уже бы года после только или более мы во заявил время может их есть "
     + "будет под то со когда над того этом году чтобы об сообщил несколько были была этого "
     + "который которые которая где нет очень сейчас тем них ли даже всех если без между этой "
     + "человек власти около ранее президент словам данным глава против отметил день пока себя "
     + "однако лет через можно сегодня рублей три два процентов министр новых области города "
     + "страны ряд сообщает").split(separator: " ").map(String.init),
    // uk
    ("і в на що з не до у та за як це від по про для його він але а також вже було був її "
     + "вони із ще після при року може бути або так тому щоб під над ж же цього які який яка "
     + "люди заявив повідомив країни час коли де ми їх має буде була були всі лише більше через "
     + "без між цієї людей влада близько раніше президент словами даними глава проти зазначив "
     + "день поки себе однак років можна сьогодні гривень зараз тільки якщо навіть понад яких "
     + "цих тих свої три два відсотків міністр області міста ряд").split(separator: " ").map(String.init),
]

let insertWords: [[String]] = [
    ["also", "still", "now"],
    ["также", "ещё", "уже"],
    ["також", "ще", "вже"],
]

let openerWords: [[String]] = [
    ["Notably", "Meanwhile", "However", "Separately", "At the same time", "Indeed"],
    ["При этом", "Между тем", "Однако", "Кроме того", "Отметим", "Впрочем"],
    ["Водночас", "Тим часом", "Однак", "Крім того", "Зазначимо", "Втім"],
]

let firstNames: [(male: [String], female: [String])] = [
    (["John", "Mark", "David", "Thomas", "James", "Michael", "Peter", "Robert", "Daniel", "Paul",
      "Richard", "Andrew", "George", "Steven", "Brian", "Kevin", "Martin", "Simon"],
     ["Anna", "Sarah", "Laura", "Emily", "Helen", "Rachel", "Susan", "Linda", "Karen", "Maria",
      "Julia", "Kate", "Alice", "Claire", "Nina", "Olivia"]),
    (["Сергей", "Дмитрий", "Алексей", "Игорь", "Павел", "Андрей", "Михаил", "Владимир", "Николай",
      "Олег", "Юрий", "Евгений", "Иван", "Виктор", "Артём", "Константин"],
     ["Ольга", "Анна", "Елена", "Наталья", "Мария", "Татьяна", "Ирина", "Светлана", "Екатерина",
      "Юлия", "Марина"]),
    (["Тарас", "Богдан", "Андрій", "Василь", "Микола", "Олександр", "Сергій", "Дмитро", "Ярослав",
      "Віталій", "Петро", "Іван", "Олег", "Остап", "Юрій"],
     ["Оксана", "Ірина", "Олена", "Юлія", "Наталія", "Тетяна", "Галина", "Людмила", "Ганна",
      "Соломія", "Марія"]),
]

// MARK: - Pseudo-words

private struct Phonology {
    let onsets: [String]
    let vowels: [String]
    let codas: [String]
    let suffixes: [String]
}

private let phonology: [Phonology] = [
    Phonology(
        onsets: ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
                 "y", "z", "br", "cr", "dr", "fr", "gr", "pr", "tr", "bl", "cl", "fl", "gl", "pl",
                 "sl", "sh", "ch", "th", "st", "sp", "sk", "sn", "sm", "wh", "qu", "str", "spr",
                 "b", "d", "l", "m", "n", "p", "r", "s", "t"],
        vowels: ["a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "i", "o", "u", "a", "e",
                 "ai", "ea", "ee", "oo", "ou", "y"],
        codas: ["n", "r", "s", "t", "l", "m", "d", "nd", "nt", "st", "rt", "ck", "ng", "sh", "ll",
                "rd", "mp", "ss", "x", "ct", "n", "r", "s", "t"],
        suffixes: ["s", "s", "ing", "ed", "er", "ers", "tion", "ment", "ly", "al", "ness", "ity",
                   "ous", "ive", "able", "ist", "ism", "ure", "es", "ic", "ance"]),
    Phonology(
        onsets: ["б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф", "х",
                 "ц", "ч", "ш", "щ", "бр", "вр", "гр", "др", "кр", "пр", "тр", "ст", "ск", "сп",
                 "зв", "пл", "кл", "сл", "мн", "ств", "в", "д", "к", "л", "м", "н", "п", "р", "с",
                 "т"],
        vowels: ["а", "о", "е", "и", "у", "ы", "я", "ю", "а", "о", "е", "и", "о", "а", "е", "и", "о",
                 "ё"],
        codas: ["н", "р", "л", "с", "т", "й", "к", "м", "в", "ст", "нт", "рт", "льн", "ль"],
        suffixes: ["ый", "ая", "ое", "ые", "ого", "ому", "ой", "ов", "ев", "ами", "ах", "ать",
                   "ить", "ет", "ют", "ал", "ила", "ение", "ость", "ство", "ник", "ка", "ки",
                   "ия", "ии", "ом", "ем", "ую", "ся", "ний", "ная", "ных", "ует", "ание"]),
    Phonology(
        onsets: ["б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф",
                 "х", "ц", "ч", "ш", "щ", "бр", "вр", "гр", "др", "кр", "пр", "тр", "ст", "ск",
                 "сп", "зв", "пл", "кл", "сл", "мн", "в", "д", "к", "л", "м", "н", "п", "р", "с",
                 "т", "б", "м", "в"],
        vowels: ["а", "о", "е", "и", "у", "і", "і", "я", "ю", "а", "о", "е", "и", "і", "о", "а",
                 "е", "и", "у", "і", "о", "а", "і", "я", "о", "а", "е", "и", "і", "є", "ї"],
        codas: ["н", "р", "л", "с", "т", "й", "к", "м", "в", "ст", "нт", "рт", "льн", "ль"],
        suffixes: ["ий", "а", "е", "і", "ого", "ому", "ої", "ів", "ами", "ах", "ати", "ити", "ує",
                   "ють", "ав", "ила", "ення", "ння", "ість", "ство", "ник", "ка", "ки", "ія",
                   "ії", "ом", "ем", "ую", "ся", "цтво", "ний", "на", "них", "ання"]),
]

/// Vowels a word may start with (after a dropped onset).
private let initialVowels: [[String]] = [
    ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ea", "ou", "ai"],
    ["а", "о", "е", "и", "у", "я", "а", "о", "и"],
    ["а", "о", "і", "у", "є", "я", "ю", "а", "о", "і"],
]

private let labials: Set<Character> = ["б", "п", "в", "м", "ф"]
private let iotated: Set<Character> = ["я", "ю", "є", "ї"]

func pseudoWord(_ lang: Lang, rank: Int, _ rng: inout Rng) -> String {
    let ph = phonology[lang.rawValue]
    let syllables: Int
    if lang == .en {
        // English words are shorter (mean ~5 letters in running text)
        if rank < 2000 { syllables = 1 + rng.below(2) } else if rank < 15000 { syllables = 1 + rng.below(3) } else { syllables = 2 + rng.below(2) }
    } else if rank < 2000 { syllables = 1 + rng.below(2) } else if rank < 15000 { syllables = 2 + rng.below(2) } else { syllables = 2 + rng.below(3) }
    var w = ""
    for k in 0..<syllables {
        if k == 0 && rng.chance(0.2) {
            w += rng.pick(initialVowels[lang.rawValue])
        } else {
            w += rng.pick(ph.onsets)
            w += rng.pick(ph.vowels)
        }
        if rng.chance(0.35) { w += rng.pick(ph.codas) }
    }
    if rng.chance(lang == .en ? 0.35 : 0.6) { w += rng.pick(ph.suffixes) }
    if lang == .uk {
        w = apostrophize(w, &rng)
        if rng.chance(0.03), let r = w.range(of: "г") { w.replaceSubrange(r, with: "ґ") }
    }
    if w.count < 3 { w += rng.pick(ph.vowels) + rng.pick(ph.codas) }
    return w
}

/// Ukrainian: an apostrophe between a labial and an iotated vowel (м'ясо, п'ять, б'є) in about
/// half of the places where one could stand.
private func apostrophize(_ w: String, _ rng: inout Rng) -> String {
    let chars = Array(w)
    guard chars.count > 2 else { return w }
    var out = ""
    for i in 0..<chars.count {
        out.append(chars[i])
        if i > 0 && i + 1 < chars.count && labials.contains(chars[i]) && iotated.contains(chars[i + 1])
            && rng.chance(0.6) {
            out.append("'")
        }
    }
    return out
}

enum NameKind { case maleSurname, anySurname, place }

private let nameSuffixes: [[NameKind: [String]]] = [
    [.maleSurname: ["son", "ton", "ford", "ley", "man", "er", "ez", "well", "wood", "field", "by",
                    "ham", "ett", "ski", "ov", "stein", "berg"],
     .anySurname: ["son", "ton", "ley", "er", "ez", "wood", "ins", "ard", "ell", "ock"],
     .place: ["ville", "burg", "port", "dale", "ia", "stan", "land", "mouth", "chester", "ton",
              "field", "more", "bridge", "grad", "ova", "heim", "ana"]],
    [.maleSurname: ["ов", "ев", "ин", "ский", "цев", "янов", "енков"],
     .anySurname: ["енко", "ич", "ук", "ко", "их", "ян", "дзе", "швили", "ули"],
     .place: ["ск", "град", "ово", "ино", "ия", "ань", "поль", "горск", "инск", "бург", "ье"]],
    [.maleSurname: ["ський", "ов", "ін", "ецький"],
     .anySurname: ["енко", "ук", "чук", "юк", "ич", "ак", "ишин", "ець", "ко", "ів"],
     .place: ["ів", "івка", "иця", "поль", "град", "ськ", "ове", "ине", "ичі", "ин"]],
]

func pseudoName(_ lang: Lang, _ kind: NameKind, _ rng: inout Rng) -> String {
    let ph = phonology[lang.rawValue]
    var w = ""
    let syllables = 1 + rng.below(3)
    for k in 0..<syllables {
        if k == 0 && rng.chance(0.25) {
            w += rng.pick(initialVowels[lang.rawValue])
        } else {
            w += rng.pick(ph.onsets)
            w += rng.pick(ph.vowels)
        }
        if rng.chance(0.3) { w += rng.pick(ph.codas) }
    }
    w += rng.pick(nameSuffixes[lang.rawValue][kind]!)
    if lang == .uk { w = apostrophize(w, &rng) }
    return capitalize(w)
}

// MARK: - Transliteration for URL slugs and domains

private let translitTable: [UInt32: [UInt8]] = {
    let from = Array("абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя".unicodeScalars)
    let upper = Array("АБВГҐДЕЄЁЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ".unicodeScalars)
    let to = ["a", "b", "v", "g", "g", "d", "e", "ye", "yo", "zh", "z", "i", "i", "yi", "y", "k",
              "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",
              "y", "", "e", "yu", "ya"]
    var t: [UInt32: [UInt8]] = [:]
    for i in 0..<from.count {
        t[from[i].value] = Array(to[i].utf8)
        t[upper[i].value] = Array(to[i].utf8)
    }
    return t
}()

/// Lower-case ASCII slug: Cyrillic transliterated, anything else but [a-z0-9] becomes "-".
func slugify(_ s: String) -> String {
    var out: [UInt8] = []
    var dash = false
    for u in s.unicodeScalars {
        let v = u.value
        if v < 128 {
            var b = UInt8(v)
            if b >= 65 && b <= 90 { b += 32 }
            if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) {
                out.append(b)
                dash = false
                continue
            }
            if b == 39 { continue }  // apostrophe
        } else if let t = translitTable[v] {
            out.append(contentsOf: t)
            dash = false
            continue
        } else if v == 0x2019 || v == 0xAB || v == 0xBB {
            continue
        }
        if !dash && !out.isEmpty {
            out.append(45)
            dash = true
        }
    }
    while out.last == 45 { out.removeLast() }
    return String(decoding: out, as: UTF8.self)
}
