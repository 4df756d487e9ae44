import Foundation

/// One JSONL line decoded leniently: every field is optional and typed loosely, so that the
/// reader can say precisely what is wrong with a record instead of "cannot decode".
struct JSONRecord: Decodable {
    enum Field: String, CodingKey { case id, text, title, url, source, published, language }

    /// A field's value when present: a string, a number written as text, or a wrong type.
    enum Value: Equatable {
        case string(String)
        case number(String)
        case other(String)
    }

    var fields: [Field: Value] = [:]

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Field.self)
        for key in container.allKeys {
            if try container.decodeNil(forKey: key) { continue }
            if let text = try? container.decode(String.self, forKey: key) {
                fields[key] = .string(text)
            } else if let integer = try? container.decode(Int64.self, forKey: key) {
                fields[key] = .number(String(integer))
            } else if let real = try? container.decode(Double.self, forKey: key) {
                fields[key] = .number(String(real))
            } else if (try? container.decode(Bool.self, forKey: key)) != nil {
                fields[key] = .other("a boolean")
            } else if (try? container.nestedUnkeyedContainer(forKey: key)) != nil {
                fields[key] = .other("an array")
            } else {
                fields[key] = .other("an object")
            }
        }
    }

    /// Decodes `line`; the error says why the line is not a JSON object.
    static func decode(_ line: Data) -> Result<JSONRecord, Rejection> {
        do {
            return .success(try JSONDecoder().decode(JSONRecord.self, from: line))
        } catch DecodingError.typeMismatch(_, _) {
            return .failure(Rejection("not a JSON object"))
        } catch {
            return .failure(Rejection("malformed JSON: \(Self.describe(error))"))
        }
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError {
                let text = "\(underlying)"
                return text.count > 160 ? String(text.prefix(160)) + "…" : text
            }
            return context.debugDescription
        }
        return "\(error)"
    }
}

/// Why a record is not in the output.
struct Rejection: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
