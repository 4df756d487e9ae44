import Foundation

/// A vocabulary generation: the terms, document frequencies and pruning of one full fit, kept
/// so that later runs score with the same IDF. Within a generation an article's row never
/// changes, so the scores of two unchanged articles stay exact from night to night.
///
/// A term the generation never saw weighs as a term of one document (`unseenDocumentFrequency`)
/// rather than being dropped: a new night's new names still count. A term the generation pruned
/// (a stop word of some language) stays out.
struct FrozenVocabulary: Sendable, Equatable, Codable {
    /// Counts from 1; a refresh makes the next one.
    var generation: Int
    /// Documents the frequencies were counted over.
    var documents: Int
    /// Token hashes, ascending, with their document frequencies.
    var hashes: [UInt64]
    var documentFrequency: [Int32]
    /// Terms the fit saw and pruned, ascending.
    var pruned: [UInt64]
    var termsSeen: Int
    /// The options that decide what a term is and which terms are kept: a run with other ones
    /// fits afresh.
    var pruning: Pruning

    struct Pruning: Sendable, Equatable, Codable {
        var minimumDocumentFrequency: Int
        var maximumDocumentShare: Double
        var priorDocuments: Int
        var copiesCountedOnce: Int
        var copyContainment: Double
        /// Letters a Cyrillic term keeps (`TermStemmer`): terms of another length are other hashes.
        var stemLetters: Int

        enum CodingKeys: String, CodingKey {
            case minimumDocumentFrequency = "minimum_document_frequency"
            case maximumDocumentShare = "maximum_document_share"
            case priorDocuments = "prior_documents"
            case copiesCountedOnce = "copies_counted_once"
            case copyContainment = "copy_containment"
            case stemLetters = "stem_letters"
        }

        init(_ options: TFIDFVectorizer.Options) {
            minimumDocumentFrequency = options.minimumDocumentFrequency
            maximumDocumentShare = options.maximumDocumentShare
            priorDocuments = options.priorDocuments
            copiesCountedOnce = options.copiesCountedOnce
            copyContainment = options.copyContainment
            stemLetters = options.stemLetters
        }

        /// A generation stored before the word-frequency prior (which pruned small groups not
        /// at all) reads with no prior documents, and one stored before stemming with whole
        /// words, so that today's options fit afresh.
        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            minimumDocumentFrequency = try container.decode(Int.self, forKey: .minimumDocumentFrequency)
            maximumDocumentShare = try container.decode(Double.self, forKey: .maximumDocumentShare)
            priorDocuments = try container.decodeIfPresent(Int.self, forKey: .priorDocuments) ?? 0
            copiesCountedOnce = try container.decode(Int.self, forKey: .copiesCountedOnce)
            copyContainment = try container.decode(Double.self, forKey: .copyContainment)
            stemLetters = try container.decodeIfPresent(Int.self, forKey: .stemLetters) ?? 0
        }
    }

    /// The document frequency an unseen term is given.
    static let unseenDocumentFrequency: Int32 = 1


    /// Identifies the generation's contents: scores made with one vocabulary are kept for a
    /// night only when it scores with the same.
    var fingerprint: UInt64 {
        let bytes = [UInt8](encoded())
        return ByteHash.hash(bytes[...])
    }

    // MARK: Stored form

    /// A header line of JSON (the generation, counts and pruning options), then the three
    /// arrays as `StateStore` blobs, each preceded by its length in bytes (8, little-endian).
    struct Header: Codable {
        static let format = "newscluster-vocabulary-1"
        var format: String
        var generation: Int
        var documents: Int
        var termsSeen: Int
        var pruning: Pruning

        enum CodingKeys: String, CodingKey {
            case format, generation, documents, pruning
            case termsSeen = "terms_seen"
        }
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try! encoder.encode(Header(
            format: Header.format, generation: generation, documents: documents, termsSeen: termsSeen, pruning: pruning))
        data.append(0x0A)
        for blob in [StateStore.encode(hashes), StateStore.encode(documentFrequency), StateStore.encode(pruned)] {
            data.append(contentsOf: StateStore.encode([UInt64(blob.count)]).dropFirst(StateStore.BlobFormat.headerSize))
            data.append(blob)
        }
        return data
    }

    init(decoding data: Data) throws(FormatError) {
        guard let newline = data.firstIndex(of: 0x0A),
              let header = try? JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline]),
              header.format == Header.format
        else { throw FormatError(description: "not a newscluster vocabulary (\(Header.format))") }
        var rest = data[(newline + 1)...]
        func blob() throws(FormatError) -> Data {
            guard rest.count >= 8 else { throw FormatError(description: "the vocabulary is cut short") }
            var length: UInt64 = 0
            for (shift, byte) in rest.prefix(8).enumerated() { length |= UInt64(byte) << (8 * UInt64(shift)) }
            rest = rest.dropFirst(8)
            guard UInt64(rest.count) >= length else { throw FormatError(description: "the vocabulary is cut short") }
            defer { rest = rest.dropFirst(Int(length)) }
            return Data(rest.prefix(Int(length)))
        }
        do {
            hashes = try StateStore.decode(try blob())
            documentFrequency = try StateStore.decode(try blob())
            pruned = try StateStore.decode(try blob())
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(description: "the vocabulary's arrays cannot be read: \(error)")
        }
        guard hashes.count == documentFrequency.count else {
            throw FormatError(description: "the vocabulary holds \(hashes.count) terms but \(documentFrequency.count) frequencies")
        }
        // Columns follow the hashes' order, and lookups search it.
        guard zip(hashes, hashes.dropFirst()).allSatisfy({ $0 < $1 }), zip(pruned, pruned.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw FormatError(description: "the vocabulary's terms are not in ascending order")
        }
        guard documentFrequency.allSatisfy({ $0 >= 0 }), header.documents >= 0 else {
            throw FormatError(description: "the vocabulary holds a negative count")
        }
        generation = header.generation
        documents = header.documents
        termsSeen = header.termsSeen
        pruning = header.pruning
    }

    init(
        generation: Int, documents: Int, hashes: [UInt64], documentFrequency: [Int32], pruned: [UInt64],
        termsSeen: Int, pruning: Pruning
    ) {
        self.generation = generation
        self.documents = documents
        self.hashes = hashes
        self.documentFrequency = documentFrequency
        self.pruned = pruned
        self.termsSeen = termsSeen
        self.pruning = pruning
    }
}

extension Int32: StateBlobValue {
    var littleEndianBlobValue: Int32 { littleEndian }
}
