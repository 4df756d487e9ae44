/// Each article's exactly scored candidates, best first, in one flat array with row starts
/// (CSR): an array per article cost a second copy of every entry while the lists were sorted,
/// and a header per article (measured at a million articles: about a gigabyte at the peak).
public struct NeighborLists: Sendable, Equatable, Codable, RandomAccessCollection {
    public typealias Neighbor = NeighborSearch.Neighbor

    /// `entries[starts[i]..<starts[i + 1]]` are the candidates of article `i`.
    private let starts: [Int]
    private let entries: [Neighbor]

    /// Lists already laid out: `starts` has one more element than there are articles.
    init(starts: [Int], entries: [Neighbor]) {
        precondition(!starts.isEmpty && starts.last == entries.count)
        self.starts = starts
        self.entries = entries
    }

    public init(_ lists: [[Neighbor]]) {
        var starts = [0]
        starts.reserveCapacity(lists.count + 1)
        for list in lists { starts.append(starts.last! + list.count) }
        self.init(starts: starts, entries: lists.flatMap { $0 })
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { starts.count - 1 }

    public subscript(article: Int) -> ArraySlice<Neighbor> {
        entries[starts[article]..<starts[article + 1]]
    }

    public static func == (lhs: NeighborLists, rhs: NeighborLists) -> Bool {
        lhs.starts == rhs.starts && lhs.entries == rhs.entries
    }
}
