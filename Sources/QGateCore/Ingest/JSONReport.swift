import Foundation

/// Decoding of JSON reports with errors that say where: `runs[0].results[12].locations: expected an array`.
public enum JSONReport {
    /// Decodes `T` from `data`, mapping every `DecodingError` to an ``IngestError`` naming the
    /// JSON path (or, for syntax errors, the line and column).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, source: ReportSource) throws -> T {
        do {
            // Foundation refuses deep nesting as a syntax error; say which limit it is instead.
            if let offset = offsetBeyondDepth(data, limit: JSONScanner.maximumDepth) {
                let (line, column) = lineAndColumn(ofByte: offset, in: data)
                throw IngestError.limitExceeded(
                    file: source.displayPath, line: line, column: column,
                    limit: "JSON nested deeper than \(JSONScanner.maximumDepth) levels")
            }
            return try JSONDecoder().decode(type, from: visibleNULs(data))
        } catch let error as DecodingError {
            throw ingestError(error, data: data, source: source)
        } catch let error as JSONShapeError {
            throw IngestError.invalid(file: source.displayPath, at: error.path, reason: error.reason)
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError.invalid(file: source.displayPath, at: "", reason: "not valid JSON (\(error.localizedDescription))")
        }
    }

    /// The byte offset of the first `[` or `{` nested deeper than `limit` (outside strings), if any.
    static func offsetBeyondDepth(_ data: Data, limit: Int) -> Int? {
        data.withUnsafeBytes { bytes -> Int? in
            var depth = 0
            var strings = JSONStringState()
            for (offset, byte) in bytes.enumerated() {
                if strings.consume(byte) { continue }
                switch byte {
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > limit { return offset }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            }
            return nil
        }
    }

    /// The JSON with every `\u0000` escape turned into `\\u0000`, so a NUL decodes to the visible
    /// text `\u0000` instead of cutting the string short where C APIs (SQLite) read it.
    static func visibleNULs(_ data: Data) -> Data {
        let needle = Array("u0000".utf8)
        guard data.firstRange(of: needle) != nil else { return data }
        var out = [UInt8]()
        out.reserveCapacity(data.count + 16)
        var backslashes = 0
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            if byte == UInt8(ascii: "u"), backslashes % 2 == 1, data[index...].starts(with: needle) {
                out.append(UInt8(ascii: "\\"))  // `\u0000` → `\\u0000`: an escaped backslash, then text
            }
            backslashes = byte == UInt8(ascii: "\\") ? backslashes + 1 : 0
            out.append(byte)
            index += 1
        }
        return Data(out)
    }

    static func ingestError(_ error: DecodingError, data: Data, source: ReportSource) -> IngestError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let (line, column) = position(ofSyntaxError: context, in: data)
            return .malformed(file: source.displayPath, line: line, column: column, reason: "not valid JSON")
        case .dataCorrupted(let context):
            return .invalid(
                file: source.displayPath, at: path(context.codingPath),
                reason: context.debugDescription.trimmingCharacters(in: CharacterSet(charactersIn: ".")))
        case .keyNotFound(let key, let context):
            return .invalid(file: source.displayPath, at: path(context.codingPath + [key]), reason: "a required field is missing")
        case .typeMismatch(let type, let context):
            let found = context.debugDescription.contains("null") || context.debugDescription.contains("nil") ? "null" : "another type"
            return .invalid(file: source.displayPath, at: path(context.codingPath), reason: "expected \(describe(type)), found \(found)")
        case .valueNotFound(let type, let context):
            return .invalid(file: source.displayPath, at: path(context.codingPath), reason: "expected \(describe(type)), found null")
        @unknown default:
            return .invalid(file: source.displayPath, at: "", reason: "unexpected JSON")
        }
    }

    /// `runs[0].results[12].locations`.
    public static func path(_ codingPath: [CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") || name.hasPrefix("KeyedDecodingContainer") { return "an object" }
        if name == "String" { return "a string" }
        if name == "Int" || name == "Double" || name == "Int64" { return "a number" }
        if name == "Bool" { return "true or false" }
        return "a value of another shape"
    }

    /// Foundation reports the byte offset of a syntax error in the underlying error's text
    /// ("around line 3, column 7" on newer Foundation; "at character 123" on older).
    private static func position(ofSyntaxError context: DecodingError.Context, in data: Data) -> (Int, Int) {
        let text = String(describing: context.underlyingError ?? context.debugDescription as Any)
        if let match = text.firstMatch(of: /line (\d+), column (\d+)/), let line = Int(match.1), let column = Int(match.2) {
            return (line, column)
        }
        if let match = text.firstMatch(of: /character (\d+)/), let offset = Int(match.1) {
            return lineAndColumn(ofByte: offset, in: data)
        }
        return lineAndColumn(ofByte: data.count, in: data)
    }

    static func lineAndColumn(ofByte offset: Int, in data: Data) -> (Int, Int) {
        var line = 1, column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// The bytes from the first `{` or `[` on, for tools that print banners around their JSON
    /// (safety 3.x); also returns whether anything was skipped, so the caller can warn.
    public static func skippingBanner(_ data: Data) -> (json: Data, skipped: Bool) {
        guard let start = data.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) else {
            return (data, false)
        }
        let leading = data[data.startIndex..<start]
        let onlyWhitespace = leading.allSatisfy {
            $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF
        }
        guard !onlyWhitespace else { return (data, false) }
        return (Data(data[start...]), true)
    }

    /// The length of the first complete JSON value at the start of `data` (strings and escapes
    /// respected), so trailing text after it can be cut off; nil when the value never closes.
    public static func firstValueLength(_ data: Data) -> Int? {
        var depth = 0
        var strings = JSONStringState()
        for (offset, byte) in data.enumerated() {
            if strings.consume(byte) { continue }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return offset + 1 }
            default: break
            }
        }
        return nil
    }
}

/// Thrown from a `Decodable` initialiser when a value has the right JSON type but the wrong
/// shape (a row with 3 fields, an object that is no known report), so that ``JSONReport/decode(_:from:source:)``
/// can report it as ``IngestError/invalid(file:at:reason:)`` at that JSON path, like any type mismatch.
public struct JSONShapeError: Error, Sendable {
    /// The JSON path, spelled as ``JSONReport/path(_:)`` spells it.
    public let path: String
    public let reason: String

    public init(codingPath: [any CodingKey], reason: String) {
        self.path = JSONReport.path(codingPath)
        self.reason = reason
    }
}

/// A JSON number that some tools write as a string (`"7.5"`) and others as a number (`7.5`).
public struct LenientNumber: Decodable, Sendable, Hashable {
    public let value: Double?

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = nil
        } else if let number = try? container.decode(Double.self) {
            value = number
        } else if let text = try? container.decode(String.self) {
            value = Double(text.trimmingCharacters(in: .whitespaces))
        } else {
            value = nil
        }
    }
}

/// A JSON value that is a string in some versions of a tool and something else in others;
/// keeps the string when there is one.
public struct LenientString: Decodable, Sendable, Hashable {
    public let value: String?

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else if let number = try? container.decode(Double.self) {
            value = number == number.rounded() ? String(Int64(number)) : String(number)
        } else {
            value = nil
        }
    }
}
