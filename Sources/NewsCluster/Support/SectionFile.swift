import Foundation

/// A file of named arrays of plain values, for handing a large input between processes without
/// JSON: an 8-byte magic, the header's length, a JSON header (a payload of the caller's and
/// where each array lies), then each array's bytes at an 8-byte aligned offset.
///
/// Read a slice at a time (`read(_:as:range:)`): a task of a distributed search reads only the
/// rows it compares, not the whole file. The arrays are in this machine's byte order, which the
/// header names and the reader checks (every machine a run spans is little-endian x86-64 or
/// arm64 in practice; a mismatch fails rather than misreads).
public enum SectionFile {
    static let magic = Array("NCSECT01".utf8)

    struct Section: Codable, Equatable {
        var offset: Int
        var count: Int
        var stride: Int
    }

    struct Header<Payload: Codable>: Codable {
        var byteOrder: String
        var payload: Payload
        var sections: [String: Section]
    }

    static var byteOrder: String { 1.littleEndian == 1 ? "little" : "big" }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        var path: String
        var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Collects arrays, then writes them with a payload in one atomic file.
    struct Writer {
        private var pieces: [(name: String, bytes: RawPiece, count: Int, stride: Int)] = []

        mutating func add<Value: BitwiseCopyable>(_ name: String, _ values: [Value]) {
            precondition(!pieces.contains { $0.name == name }, "section \(name) added twice")
            pieces.append((name, RawPiece(values), values.count, MemoryLayout<Value>.stride))
        }

        /// Strings, nil among them, as two sections: `NAME.lengths` (UTF-8 bytes, -1 for nil)
        /// and `NAME.bytes`.
        mutating func add(_ name: String, strings: [String?]) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(strings.reduce(0) { $0 + ($1?.utf8.count ?? 0) })
            let lengths = strings.map { string -> Int32 in
                guard let string else { return -1 }
                bytes.append(contentsOf: string.utf8)
                return Int32(string.utf8.count)
            }
            add("\(name).lengths", lengths)
            add("\(name).bytes", bytes)
        }

        func write<Payload: Codable>(_ payload: Payload, to path: String) throws {
            // The header names the sections' offsets, which depend on the header's length: it gets
            // a room a little larger than it needs, padded with spaces, and grows until it fits.
            var sections: [String: Section] = [:]
            func layout(start: Int) {
                var offset = start
                for piece in pieces {
                    sections[piece.name] = Section(offset: offset, count: piece.count, stride: piece.stride)
                    offset = aligned(offset + piece.count * piece.stride)
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            layout(start: 0)
            var room = aligned(try encoder.encode(Header(byteOrder: byteOrder, payload: payload, sections: sections)).count + 64)
            var header: Data
            while true {
                layout(start: 16 + room)
                header = try encoder.encode(Header(byteOrder: byteOrder, payload: payload, sections: sections))
                if header.count <= room { break }
                room = aligned(header.count + 64)
            }
            header.append(contentsOf: [UInt8](repeating: 0x20, count: room - header.count))
            var length = UInt64(room).littleEndian
            var all: [RawPiece] = [RawPiece(magic), RawPiece(withUnsafeBytes(of: &length) { Array($0) }), RawPiece(Array(header))]
            var written = 16 + room
            for piece in pieces {
                let offset = sections[piece.name]!.offset
                if offset > written { all.append(RawPiece([UInt8](repeating: 0, count: offset - written))) }
                all.append(piece.bytes)
                written = offset + piece.count * piece.stride
            }
            try AtomicFile.write(pieces: all, to: path)
        }
    }

    /// An open section file: its payload and sections, read on demand.
    final class Reader {
        let path: String
        let sections: [String: Section]
        private let descriptor: Int32
        private let headerBytes: Data

        init(path: String) throws {
            self.path = path
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw Failure(path: path, reason: ReportError.reason(errno)) }
            do {
                let start = try Self.read(descriptor, path: path, offset: 0, count: 16)
                guard Array(start.prefix(8)) == SectionFile.magic else {
                    throw Failure(path: path, reason: "not a newscluster section file")
                }
                let length = start.suffix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian
                guard length < 1 << 30 else { throw Failure(path: path, reason: "a header of \(length) bytes") }
                headerBytes = try Self.read(descriptor, path: path, offset: 16, count: Int(length))
                let shape = try JSONDecoder().decode(Shape.self, from: headerBytes)
                guard shape.byteOrder == SectionFile.byteOrder else {
                    throw Failure(path: path, reason: "written on a \(shape.byteOrder)-endian machine, read on a \(SectionFile.byteOrder)-endian one")
                }
                sections = shape.sections
            } catch let failure as Failure {
                close(descriptor)
                throw failure
            } catch {
                close(descriptor)
                throw Failure(path: path, reason: "an unreadable header (\(error))")
            }
        }

        deinit { close(descriptor) }

        private struct Shape: Decodable {
            var byteOrder: String
            var sections: [String: Section]
        }

        func payload<Payload: Codable>(_ type: Payload.Type) throws -> Payload {
            do {
                return try JSONDecoder().decode(Header<Payload>.self, from: headerBytes).payload
            } catch {
                throw Failure(path: path, reason: "an unreadable header (\(error))")
            }
        }

        func count(of name: String) throws -> Int { try section(name).count }

        /// Elements `range` (all when nil) of section `name`.
        func read<Value: BitwiseCopyable>(_ name: String, as type: Value.Type, range: Range<Int>? = nil) throws -> [Value] {
            let section = try section(name)
            guard section.stride == MemoryLayout<Value>.stride else {
                throw Failure(path: path, reason: "section \(name) holds \(section.stride)-byte values, not \(MemoryLayout<Value>.stride)-byte")
            }
            let range = range ?? 0..<section.count
            guard range.lowerBound >= 0, range.upperBound <= section.count else {
                throw Failure(path: path, reason: "section \(name) has \(section.count) values, not \(range.upperBound)")
            }
            let bytes = range.count * section.stride
            let values = try [Value](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                try Self.fill(UnsafeMutableRawBufferPointer(buffer).prefix(bytes), from: descriptor, path: path,
                              offset: section.offset + range.lowerBound * section.stride)
                initialized = range.count
            }
            return values
        }

        /// The strings `Writer.add(_:strings:)` wrote as `name`.
        func strings(_ name: String) throws -> [String?] {
            let lengths = try read("\(name).lengths", as: Int32.self)
            let bytes = try read("\(name).bytes", as: UInt8.self)
            var start = 0
            return try lengths.map { length -> String? in
                guard length >= 0 else { return nil }
                let end = start + Int(length)
                guard end <= bytes.count else { throw Failure(path: path, reason: "section \(name) ends too soon") }
                defer { start = end }
                return String(decoding: bytes[start..<end], as: UTF8.self)
            }
        }

        private func section(_ name: String) throws -> Section {
            guard let section = sections[name] else { throw Failure(path: path, reason: "no section \(name)") }
            return section
        }

        private static func read(_ descriptor: Int32, path: String, offset: Int, count: Int) throws -> Data {
            var bytes = [UInt8](repeating: 0, count: count)
            try bytes.withUnsafeMutableBytes { try fill($0[...], from: descriptor, path: path, offset: offset) }
            return Data(bytes)
        }

        /// Fills `buffer` from the file at `offset`, or fails naming a file that ends too soon.
        private static func fill(_ buffer: Slice<UnsafeMutableRawBufferPointer>, from descriptor: Int32, path: String, offset: Int) throws {
            let base = UnsafeMutableRawBufferPointer(rebasing: buffer)
            var done = 0
            while done < base.count {
                let count = pread(descriptor, base.baseAddress! + done, base.count - done, off_t(offset + done))
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw Failure(path: path, reason: ReportError.reason(errno)) }
                guard count > 0 else { throw Failure(path: path, reason: "ends at byte \(offset + done), before its sections do") }
                done += count
            }
        }
    }

    private static func aligned(_ offset: Int) -> Int { (offset + 7) & ~7 }
}

/// Any array's bytes, as one kind of piece for `AtomicFile.write(pieces:)`.
struct RawPiece: ContiguousBytes {
    private let values: any ArrayBytes

    init<Value: BitwiseCopyable>(_ values: [Value]) { self.values = PlainArray(elements: values) }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try values.withRawBytes(body)
    }
}

/// An array's bytes, whatever its plain element (Foundation's `ContiguousBytes` takes only bytes).
private protocol ArrayBytes {
    func withRawBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

private struct PlainArray<Element: BitwiseCopyable>: ArrayBytes {
    let elements: [Element]

    func withRawBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try elements.withUnsafeBytes(body)
    }
}
