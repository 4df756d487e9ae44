import Foundation

/// Reads an accepted article's text again from its input file. A run over a corpus too large to
/// hold in memory keeps only what each article needs past the read and comes back here for the
/// text, once to clean and count it and again for the few texts the reports quote.
///
/// An input whose offsets are not into its file (a compressed file: they are into its text) or
/// that cannot be opened again (a pipe, standard input) is read again from the `Spool` the
/// read copied it to.
final class RecordRereader: Sendable {
    private let descriptors: [String: Int32]

    /// Opens `files` (the input files of a read) for reading at any offset, from any thread.
    convenience init(files: [String]) throws {
        try self.init(files: files, spools: [:])
    }

    /// As `init(files:)`, reading the files in `spools` from their spool instead.
    init(files: [String], spools: [String: Spool]) throws {
        var descriptors: [String: Int32] = [:]
        for file in files where descriptors[file] == nil {
            // A descriptor of its own, so that each closes what it opened.
            let descriptor = spools[file].map { dup($0.descriptor) } ?? open(file, O_RDONLY)
            guard descriptor >= 0 else {
                for opened in descriptors.values { close(opened) }
                throw ReadError.unreadable(path: file, reason: String(cString: strerror(errno)))
            }
            descriptors[file] = descriptor
        }
        self.descriptors = descriptors
    }

    deinit {
        for descriptor in descriptors.values { close(descriptor) }
    }

    /// The text of `article` as the read decoded it (with the same repairs).
    ///
    /// - Throws: `ReadError.changed` when the record there is no longer the article: the
    ///   input was modified during the run.
    func text(of article: Article) throws -> String {
        let location = article.location
        let decoded: ArticleReader.Decoded
        if let span = article.span {
            guard let descriptor = descriptors[location.file] else {
                throw ReadError.unreadable(path: location.file, reason: "not an input of this run")
            }
            var bytes = [UInt8](repeating: 0, count: span.length)
            let count = bytes.withUnsafeMutableBytes { buffer in
                Self.readFully(descriptor, into: buffer, at: span.offset)
            }
            guard count == span.length else { throw ReadError.changed(location) }
            decoded = ArticleReader.decode(bytes[...], at: location, span: span)
        } else {
            decoded = try ArticleReader.decodeTextFile(location.file).0
        }
        guard case .accepted(let reread, _) = decoded, reread.id == article.id else {
            throw ReadError.changed(location)
        }
        return reread.text
    }

    /// `pread` until `buffer` is full or the file ends; the bytes read.
    private static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            done += count
        }
        return done
    }
}
