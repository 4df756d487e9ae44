import Foundation
import Testing
@testable import NewsCluster

@Suite("Spool")
struct SpoolTests {
    @Test func keepsWhatIsAppendedForReadingAtAnyOffset() throws {
        let spool = try Spool()
        try spool.append(Array("first line\n".utf8)[...])
        try spool.append(Array("second line\n".utf8)[...])
        var bytes = [UInt8](repeating: 0, count: 6)
        let count = bytes.withUnsafeMutableBytes { pread(spool.descriptor, $0.baseAddress!, $0.count, 11) }
        #expect(count == 6)
        #expect(String(decoding: bytes, as: UTF8.self) == "second")
    }

    @Test func itsFileIsUnlinkedFromTheStart() throws {
        // No name: a crash leaves nothing behind in the temporary directory.
        let spool = try Spool()
        try spool.append(Array("text".utf8)[...])
        var status = stat()
        #expect(fstat(spool.descriptor, &status) == 0)
        #expect(status.st_nlink == 0)
        #expect(status.st_size == 4)
    }
}
