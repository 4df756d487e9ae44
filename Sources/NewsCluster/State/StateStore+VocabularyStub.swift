import Foundation
// Stand-in until the store's schema 5 lands (branch i17-store).
extension StateStore {
    public struct StoredVocabulary: Sendable {
        public var generation: Int
        public var createdRun: Int
        public var reason: String
        public var data: Data
    }
    public func vocabulary() throws -> StoredVocabulary? { nil }
}
