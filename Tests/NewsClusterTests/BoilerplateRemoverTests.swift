import Testing
@testable import NewsCluster

private func lines(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init)
}

@Suite("BoilerplateRemover")
struct BoilerplateRemoverTests {
    let remover = BoilerplateRemover()

    @Test func siteTaglineIsRemovedButSyndicatedLineAcrossSourcesIsKept() {
        let tagline = "Subscribe to the Harbor Gazette newsletter for daily updates"
        let shared = "Forecasters expect heavy rain and strong winds along the northern coast"
        let texts = [
            "The harbor bridge reopened on Monday after two years of repairs.\n\(tagline)",
            "The city council approved a new budget for public libraries.\n\(tagline)",
            "Local farmers reported an early start to the apple harvest season.\n\(tagline)",
            "Ferry services were suspended for the afternoon.\n\(shared)",
            "Schools in the valley will open two hours late tomorrow.\n\(shared)",
        ]
        let sources: [String?] = ["gazette", "gazette", "gazette", "herald", "courier"]
        let result = remover.clean(texts: texts, titles: Array(repeating: "", count: 5), sources: sources)
        for page in 0..<3 {
            #expect(!result.texts[page].contains(tagline))
            #expect(result.texts[page] == lines(texts[page])[0])
            #expect(result.removedLines[page] == 1)
        }
        #expect(result.texts[3] == texts[3])
        #expect(result.texts[4] == texts[4])
        #expect(result.removedLines[3] == 0 && result.removedLines[4] == 0)
        #expect(result.totalRemovedLines == 3)
    }

    @Test func taglineMatchesDespiteChangedDigitsAndCase() {
        let texts = [
            "First story body about the regional election results.\n© 2023 Harbor Gazette. All rights reserved.",
            "Second story body about the new hospital wing.\n© 2024 HARBOR GAZETTE. All Rights Reserved.",
        ]
        let result = remover.clean(texts: texts, titles: ["", ""], sources: ["gazette", "gazette"])
        #expect(result.texts == texts.map { lines($0)[0] })
    }

    @Test func trailingTeaserBlockIsRemovedIncludingATeaserSeenOnce() {
        let teaserA = "Mayor opens new playground in riverside park"
        let teaserB = "Police warn of phone scams targeting pensioners"
        let teaserC = "Weekend markets move indoors for the winter"
        let once = "Local choir wins national competition in the capital"
        let texts = [
            "The harbor bridge reopened on Monday after two years of repairs.\nEngineers said the new deck will last decades.\n\(teaserA)\n\(teaserB)\n\(once)\n\(teaserC)",
            "The city council approved a new budget for public libraries.\nOpening hours will be extended in spring.\n\(teaserA)\n\(teaserB)\n\(teaserC)",
            "Local farmers reported an early start to the apple harvest season.\nPrices are expected to fall.\n\(teaserB)\n\(teaserC)\n\(teaserA)",
        ]
        let result = remover.clean(texts: texts, titles: ["", "", ""], sources: ["gazette", "gazette", "gazette"])
        #expect(lines(result.texts[0]) == Array(lines(texts[0]).prefix(2)))
        #expect(!result.texts[0].contains(once))
        #expect(result.removedLines[0] == 4)
        #expect(lines(result.texts[1]) == Array(lines(texts[1]).prefix(2)))
        #expect(lines(result.texts[2]) == Array(lines(texts[2]).prefix(2)))
    }

    @Test func aLineSeenOnceOutsideATrailingBlockIsKept() {
        // The unique line is followed by article text, so it is not part of a trailing block.
        let teaserA = "Mayor opens new playground in riverside park"
        let teaserB = "Police warn of phone scams targeting pensioners"
        let texts = [
            "Intro paragraph about the harbor bridge reopening.\nLocal choir wins national competition in the capital\nClosing paragraph about traffic.\n\(teaserA)\n\(teaserB)",
            "A paragraph about the council budget.\n\(teaserA)\n\(teaserB)",
        ]
        let result = remover.clean(texts: texts, titles: ["", ""], sources: ["gazette", "gazette"])
        #expect(lines(result.texts[0]) == Array(lines(texts[0]).prefix(3)))
    }

    @Test func teaserHeadlinesOfOtherPagesAreRemovedAsABlockOnATwoPageSite() {
        let titles = [
            "Harbor bridge reopens after long repairs",
            "Council to vote on new parking rules downtown",
            "Festival draws record crowds to the old town",
        ]
        let texts = [
            """
            The harbor bridge reopened on Monday after two years of repairs.
            Engineers said the new deck will last for decades to come.
            Council to vote on new parking rules downtown
            The council will decide on Tuesday whether parking fees
            Festival draws record crowds to the old town
            """,
            """
            The council will decide on Tuesday whether parking fees rise across the centre.
            Residents are divided over the plan.
            """,
            """
            Organisers counted more than forty thousand visitors over the weekend.
            Hotels in the area were fully booked.
            """,
        ]
        let result = remover.clean(texts: texts, titles: titles, sources: ["gazette", "gazette", "herald"])
        #expect(lines(result.texts[0]) == Array(lines(texts[0]).prefix(2)))
        #expect(result.removedLines[0] == 3)
        // The pages whose headlines were quoted are untouched.
        #expect(result.texts[1] == texts[1])
        #expect(result.texts[2] == texts[2])
    }

    @Test func aSingleQuotedHeadlineInsideTheArticleIsKept() {
        let titles = ["Harbor bridge reopens after long repairs", "Council to vote on new parking rules downtown"]
        let texts = [
            """
            The harbor bridge reopened on Monday after two years of repairs.
            Council to vote on new parking rules downtown
            That vote, officials said, is unrelated to the bridge.
            Traffic is expected to return to normal by Friday.
            """,
            "The council will decide on Tuesday whether parking fees rise.\nResidents are divided.",
        ]
        let result = remover.clean(texts: texts, titles: titles, sources: ["gazette", "gazette"])
        #expect(result.texts == texts)
        #expect(result.totalRemovedLines == 0)
    }

    @Test func articleParagraphsAreKept() {
        var texts: [String] = []
        for page in 0..<6 {
            texts.append("""
                Paragraph one of story \(["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"][page]) about the harbor.
                Paragraph two with a quote from the \(["mayor", "chief", "minister", "captain", "teacher", "doctor"][page]).
                Share this article on social media
                """)
        }
        let result = remover.clean(texts: texts, titles: Array(repeating: "", count: 6),
                                   sources: Array(repeating: "gazette", count: 6))
        for page in 0..<6 {
            #expect(lines(result.texts[page]) == Array(lines(texts[page]).prefix(2)))
        }
    }

    @Test func pagesWithoutSourceNeedMoreRepetition() {
        let tagline = "Read more stories like this on our website today"
        let bodies = [
            "Story one text about the election campaign in the north.",
            "Story two text about rising bread prices this winter.",
            "Story three text about a new museum exhibition opening.",
            "Story four text about a football club changing coaches.",
        ]
        let texts = bodies.map { "\($0)\n\(tagline)" }
        let three = remover.clean(texts: Array(texts.prefix(3)), titles: ["", "", ""], sources: [nil, nil, nil])
        #expect(three.texts == Array(texts.prefix(3)))
        let four = remover.clean(texts: texts, titles: ["", "", "", ""], sources: [nil, nil, nil, nil])
        #expect(four.texts == bodies)
    }

    @Test func sourcelessPageMostlyBoilerplateIsLeftAlone() {
        let tagline = "Read more stories like this on our website today and every day of the week"
        var texts = (0..<4).map { "Short \(["one", "two", "six", "ten"][$0]) body.\n\(tagline)" }
        texts.append("Tiny.\n\(tagline)")
        let result = remover.clean(texts: texts, titles: Array(repeating: "", count: 5),
                                   sources: Array(repeating: nil, count: 5))
        // "Short … body." keeps 12 of 71 letters (17%): cleaned. "Tiny." would keep 4 of 63
        // letters (6% < 15%): more likely a copy than a template, left as it is.
        #expect(Array(result.texts.prefix(4)) == texts.prefix(4).map { lines($0)[0] })
        #expect(result.texts[4] == texts[4])
        #expect(result.removedLines == [1, 1, 1, 1, 0])
    }

    @Test func pageThatWouldBecomeEmptyIsLeftAlone() {
        let texts = ["Same line on every page of this site\nAnother shared line", "Same line on every page of this site\nAnother shared line"]
        let result = remover.clean(texts: texts, titles: ["", ""], sources: ["s", "s"])
        #expect(result.texts == texts)
        #expect(result.removedLines == [0, 0])
    }

    @Test func blankLinesAndSurroundingSpacesAreDropped() {
        let result = remover.clean(texts: ["  First line.  \n\n\n   Second line.\n"], titles: [""], sources: [nil])
        #expect(result.texts == ["First line.\nSecond line."])
    }

    @Test func sourceKey() {
        #expect(BoilerplateRemover.sourceKey(source: "Harbor Gazette ", url: "https://other.example/x") == "harbor gazette")
        #expect(BoilerplateRemover.sourceKey(source: nil, url: "https://WWW.Example.com/news/1?x=2") == "www.example.com")
        #expect(BoilerplateRemover.sourceKey(source: "  ", url: "http://news.example.org#top") == "news.example.org")
        #expect(BoilerplateRemover.sourceKey(source: "", url: "example.net/path") == "example.net")
        #expect(BoilerplateRemover.sourceKey(source: nil, url: "https://host.example:8080/a") == "host.example:8080")
        #expect(BoilerplateRemover.sourceKey(source: nil, url: nil) == nil)
        #expect(BoilerplateRemover.sourceKey(source: nil, url: "https:///path") == nil)
        #expect(BoilerplateRemover.sourceKey(source: nil, url: "") == nil)
    }

    @Test func linesToKeepPicksTheBestTrailingBlock() {
        // recurring/teaser flags → kept lines.
        let r = BoilerplateRemover.linesToKeep
        #expect(r([false, false, true, true], [false, false, false, false]) == [true, true, false, false])
        #expect(r([false, false, false, false], [false, false, true, true]) == [true, true, false, false])
        // Net count 1 is not enough for a block: a lone teaser flag stays.
        #expect(r([false, false, false], [false, false, true]) == [true, true, true])
        #expect(r([false, true, true, false, true], [false, false, false, false, false])
                == [true, false, false, false, false])
        #expect(r([], []) == [])
    }
}
