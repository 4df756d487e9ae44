/// Each article's exactly scored candidates, best first, in one flat array with row starts
/// (`RowLists`): an array per article cost a second copy of every entry while the lists were
/// sorted, and a header per article (measured at a million articles: about a gigabyte at the
/// peak).
public struct NeighborLists: Sendable, Equatable, Codable, RandomAccessCollection {
    public typealias Neighbor = NeighborSearch.Neighbor

    /// Row `i` holds the candidates of article `i`.
    private let lists: RowLists<Neighbor>

    /// Lists already laid out, one row per article.
    init(_ lists: RowLists<Neighbor>) {
        self.lists = lists
    }

    public init(_ lists: [[Neighbor]]) {
        self.init(RowLists(lists))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { lists.rowCount }

    public subscript(article: Int) -> ArraySlice<Neighbor> { lists[article] }
}
