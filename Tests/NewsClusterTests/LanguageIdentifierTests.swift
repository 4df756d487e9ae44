import Testing
@testable import NewsCluster

/// The language of a text, as the tokenize stage asks for it: from the text's terms.
private func identify(_ text: String) -> String {
    let document = DocumentTerms(title: "", body: text, titleWeight: 1)
    return LanguageIdentifier().identify(terms: document.terms, counts: document.counts, script: document.script)
}

@Suite("LanguageIdentifier")
struct LanguageIdentifierTests {
    @Test(arguments: [
        ("en", "The government said on Monday that the new bridge would open to traffic next week."),
        ("de", "Die Regierung hat am Montag mitgeteilt, dass die neue Brücke in der nächsten Woche für den Verkehr geöffnet wird."),
        ("fr", "Le gouvernement a déclaré lundi que le nouveau pont serait ouvert à la circulation la semaine prochaine."),
        ("es", "El gobierno dijo el lunes que el nuevo puente se abrirá al tráfico la próxima semana."),
        ("it", "Il governo ha detto lunedì che il nuovo ponte sarà aperto al traffico la prossima settimana."),
        ("pt", "O governo disse na segunda-feira que a nova ponte será aberta ao trânsito na próxima semana."),
        ("nl", "De regering zei maandag dat de nieuwe brug volgende week voor het verkeer wordt geopend."),
        ("pl", "Rząd poinformował w poniedziałek, że nowy most zostanie otwarty dla ruchu w przyszłym tygodniu."),
        ("tr", "Hükümet pazartesi günü yeni köprünün gelecek hafta trafiğe açılacağını söyledi."),
        ("uk", "Уряд у понеділок заявив, що новий міст відкриють для руху наступного тижня."),
        ("ru", "Правительство в понедельник заявило, что новый мост откроют для движения на следующей неделе."),
        ("bg", "Правителството съобщи в понеделник, че новият мост ще бъде отворен за движение следващата седмица."),
    ])
    func knowsTheLanguageOfASentence(_ language: String, _ sentence: String) {
        #expect(identify(sentence) == language)
    }

    @Test func saysUndeterminedWhenTheWordsDoNotTell() {
        #expect(identify("") == "und")
        #expect(identify("Zelensky Bishkek 2020") == "und", "names and numbers only")
        #expect(identify("北京市政府周一表示，新桥将于下周通车。") == "und", "a script it has no language for")
    }

    @Test func givesWordFrequenciesPerLanguage() throws {
        let english = try #require(LanguageIdentifier.wordFrequencies(of: "en"))
        let hash = { (word: String) in Tokenizer().tokens(in: word).isEmpty ? 0 : BoilerplateRemover.tokenSet(word).first! }
        #expect(english.frequency(of: hash("the")) > 0.01)
        #expect(english.frequency(of: hash("said")) > english.frequency(of: hash("harbour")))
        #expect(english.frequency(of: hash("zorblat")) < 1e-5, "a word off the list is rarer than all on it")
        #expect(LanguageIdentifier.wordFrequencies(of: "xx") == nil)
        #expect(LanguageIdentifier.isFrequentWord(hash("the")))
        #expect(LanguageIdentifier.isFrequentWord(hash("який")), "Ukrainian")
        #expect(!LanguageIdentifier.isFrequentWord(hash("zorblat")))
    }

    @Test func knowsTheLanguagesOfTheIssue() {
        #expect(Set(LanguageIdentifier.frequencies.map(\.language)) == ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "uk", "ru", "bg"])
    }
}
