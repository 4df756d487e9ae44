/// Each article's exactly scored candidates, best first, in one flat array with row starts
/// (`RowLists`): an array per article cost a second copy of every entry while the lists were
/// sorted, and a header per article (measured at a million articles: about a gigabyte at the
/// peak).
struct NeighborLists: Sendable, Equatable, Codable, RandomAccessCollection {
    typealias Neighbor = NeighborSearch.Neighbor

    /// Row `i` holds the candidates of article `i`.
    private let lists: RowLists<Neighbor>

    /// Lists already laid out, one row per article.
    init(_ lists: RowLists<Neighbor>) {
        self.lists = lists
    }

    init(_ lists: [[Neighbor]]) {
        self.init(RowLists(lists))
    }

    var startIndex: Int { 0 }
    var endIndex: Int { lists.rowCount }

    subscript(article: Int) -> ArraySlice<Neighbor> { lists[article] }
}
