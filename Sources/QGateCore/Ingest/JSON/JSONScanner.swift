import Foundation

/// A pull tokenizer over the bytes of one JSON document, for reports too large to decode
/// into a tree first (a 50 MB SARIF log, a 20 MB bandit report).
///
/// The reader asks for what it expects next (`forEachMember`, `string()`, `int()`, …) and
/// steps over the rest with ``skipValue()``, which still checks the syntax but builds
/// nothing: rule help in Markdown, bandit's `metrics`, `code` excerpts are never turned into
/// strings. Strings are decoded only when asked for, numbers are read from their bytes, and
/// the path to the current value (`runs[0].results[12].locations`) is tracked as byte ranges,
/// spelled out only when an error is thrown.
///
/// Syntax errors are ``JSONScanError/malformed(offset:)`` at the offending byte (the end of the
/// input when it is truncated); a value of the wrong type is ``JSONScanError/invalid(path:reason:)``
/// with the wording ``JSONReport`` uses for `DecodingError`s, so messages do not depend on
/// which reader produced them.
///
/// The scanner borrows the bytes: create it only through ``JSONScanner/scan(_:_:)`` (or
/// ``JSONScanner/peek(_:_:)``, which looks at the start of a document only).
///
/// Bytes that are not UTF-8 are refused (``JSONScanError/invalidUTF8(offset:)``) wherever they
/// are, also in values that are skipped: RFC 8259 requires UTF-8, and a `String` made of them
/// would otherwise hold U+FFFD without anyone being told.
struct JSONScanner {
    /// Deeper nesting than this is refused: no report needs it, and an unbounded depth would
    /// let a hostile file exhaust the stack.
    static let maximumDepth = 512

    /// The JSON type of the next value.
    enum ValueKind {
        case object, array, string, number, bool, null
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// The index of the next unread byte.
    private(set) var offset: Int
    private var depth = 0
    private var path: [PathComponent] = []
    /// Reused buffer for strings that contain escapes.
    private var unescaped: [UInt8] = []

    private enum PathComponent {
        case key(JSONKey)
        case name(String)
        case index(Int)
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        offset = bytes.starts(with: bom) ? bom.count : 0
    }

    /// Runs `read` over the document in `data`, then checks that nothing but whitespace follows
    /// the value it read.
    static func scan<T>(_ data: Data, _ read: (inout JSONScanner) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            var scanner = JSONScanner(bytes: raw.bindMemory(to: UInt8.self))
            let value = try read(&scanner)
            scanner.skipWhitespace()
            if scanner.offset < scanner.bytes.count { throw JSONScanError.malformed(offset: scanner.offset) }
            return value
        }
    }

    /// Runs `read` over the start of `data` and stops there: nothing after what `read`
    /// consumed is looked at, so a document cut short after it is fine. For telling a
    /// report's format from its first top-level members.
    static func peek<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ read: (inout JSONScanner) throws -> T) rethrows -> T {
        var scanner = JSONScanner(bytes: bytes)
        return try read(&scanner)
    }

    // MARK: Containers

    /// Calls `body` once per member of the object that comes next; `body` must consume the
    /// member's value (read it or skip it).
    mutating func forEachMember(_ body: (inout JSONScanner, JSONKey) throws -> Void) throws {
        try forEachMemberWhile({ scanner, key in
            try body(&scanner, key)
            return true
        })
    }

    /// Like ``forEachMember(_:)``, but `body` returns false to stop after the member it has
    /// just consumed; the rest of the object is then left unread (and unchecked), and the
    /// scanner must not be used for anything else afterwards.
    mutating func forEachMemberWhile(_ body: (inout JSONScanner, JSONKey) throws -> Bool) throws {
        try expect(.object)
        try enterContainer()
        offset += 1
        path.append(.index(0))
        skipWhitespace()
        if try peekByte() == Byte.closeBrace {
            offset += 1
        } else {
            while true {
                skipWhitespace()
                guard try peekByte() == Byte.quote else { throw JSONScanError.malformed(offset: offset) }
                let key = try scanKey()
                path[path.count - 1] = .key(key)
                skipWhitespace()
                try consume(Byte.colon)
                guard try body(&self, key) else { return }
                skipWhitespace()
                let separator = try peekByte()
                offset += 1
                if separator == Byte.comma { continue }
                if separator == Byte.closeBrace { break }
                throw JSONScanError.malformed(offset: offset - 1)
            }
        }
        path.removeLast()
        depth -= 1
    }

    /// Calls `body` once per element of the array that comes next; `body` must consume the element.
    mutating func forEachElement(_ body: (inout JSONScanner) throws -> Void) throws {
        try expect(.array)
        try enterContainer()
        offset += 1
        path.append(.index(0))
        skipWhitespace()
        if try peekByte() == Byte.closeBracket {
            offset += 1
        } else {
            var index = 0
            while true {
                path[path.count - 1] = .index(index)
                try body(&self)
                index += 1
                skipWhitespace()
                let separator = try peekByte()
                offset += 1
                if separator == Byte.comma { continue }
                if separator == Byte.closeBracket { break }
                throw JSONScanError.malformed(offset: offset - 1)
            }
        }
        path.removeLast()
        depth -= 1
    }

    /// The array that comes next, each element read by `element`.
    mutating func array<T>(_ element: (inout JSONScanner) throws -> T) throws -> [T] {
        var values: [T] = []
        try forEachElement { values.append(try element(&$0)) }
        return values
    }

    /// The object that comes next as a dictionary, each value read by `value`; a repeated key
    /// keeps its last value.
    mutating func dictionary<T>(_ value: (inout JSONScanner) throws -> T) throws -> [String: T] {
        var values: [String: T] = [:]
        try forEachMember { scanner, key in values[scanner.text(of: key)] = try value(&scanner) }
        return values
    }

    /// Nil when the next value is `null` (consumed), else what `read` makes of it.
    mutating func optional<T>(_ read: (inout JSONScanner) throws -> T) throws -> T? {
        try consumeNull() ? nil : read(&self)
    }

    // MARK: Scalars

    /// The kind of the next value, without consuming it.
    mutating func peekKind() throws -> ValueKind {
        skipWhitespace()
        switch try peekByte() {
        case Byte.openBrace: return .object
        case Byte.openBracket: return .array
        case Byte.quote: return .string
        case Byte.minus, Byte.zero...Byte.nine: return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw JSONScanError.malformed(offset: offset)
        }
    }

    /// Consumes a `null` and returns true, or returns false and consumes nothing.
    mutating func consumeNull() throws -> Bool {
        guard try peekKind() == .null else { return false }
        try consumeLiteral("null")
        return true
    }

    mutating func string() throws -> String {
        try withStringBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Hands the decoded UTF-8 bytes of the next string to `body` without making a `String`
    /// (valid only during the call); for long values of which only a part is wanted.
    mutating func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        try expect(.string)
        let token = try scanString()
        return try withDecodedBytes(of: token, body)
    }

    /// Hands `body` the decoded bytes of the string that starts at `start` (an offset saved with
    /// ``offset`` before the string was skipped); the scanner's position does not change.
    mutating func withStringBytes<R>(at start: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        let saved = offset
        defer { offset = saved }
        offset = start
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == Byte.quote else { throw failure("expected a string, found another type") }
        let token = try scanString()
        return try withDecodedBytes(of: token, body)
    }

    /// Reads, out of order, the value of member `name` of the object just read, which starts
    /// at `start` (``offset`` saved before the value was skipped); the position is restored after.
    mutating func revisit<T>(member name: String, at start: Int, _ read: (inout JSONScanner) throws -> T) throws -> T {
        let saved = offset
        offset = start
        path.append(.name(name))
        depth += 1
        let value = try read(&self)
        depth -= 1
        path.removeLast()
        offset = saved
        return value
    }

    mutating func int() throws -> Int {
        try expect(.number)
        let token = try scanNumber()
        if token.isInteger, let value = integer(token.range) { return value }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[token.range]), as: UTF8.self)
        if let value = Double(text), value == value.rounded(), abs(value) < 9.0e15 { return Int(value) }
        throw failure("expected an integer, found \(text)")
    }

    mutating func double() throws -> Double {
        try expect(.number)
        let token = try scanNumber()
        if token.isInteger, token.range.count < 16, let value = integer(token.range) { return Double(value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[token.range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw failure("the number \(text) is out of range") }
        return value
    }

    mutating func bool() throws -> Bool {
        try expect(.bool)
        if bytes[offset] == UInt8(ascii: "t") {
            try consumeLiteral("true")
            return true
        }
        try consumeLiteral("false")
        return false
    }

    /// A string from a closed set, such as SARIF's levels; anything else is invalid, naming the
    /// words that would have been accepted.
    mutating func word<W: RawRepresentable>(_ type: W.Type, expected: String) throws -> W where W.RawValue == String {
        let text = try string()
        guard let word = W(rawValue: text) else { throw failure("unknown value \"\(text)\" (expected \(expected))") }
        return word
    }

    /// Steps over the next value, whatever it is, checking its syntax but building nothing.
    mutating func skipValue() throws {
        switch try peekKind() {
        case .object:
            try enterContainer()
            offset += 1
            skipWhitespace()
            if try peekByte() == Byte.closeBrace {
                offset += 1
            } else {
                while true {
                    skipWhitespace()
                    guard try peekByte() == Byte.quote else { throw JSONScanError.malformed(offset: offset) }
                    _ = try scanString()
                    skipWhitespace()
                    try consume(Byte.colon)
                    try skipValue()
                    skipWhitespace()
                    let separator = try peekByte()
                    offset += 1
                    if separator == Byte.comma { continue }
                    if separator == Byte.closeBrace { break }
                    throw JSONScanError.malformed(offset: offset - 1)
                }
            }
            depth -= 1
        case .array:
            try enterContainer()
            offset += 1
            skipWhitespace()
            if try peekByte() == Byte.closeBracket {
                offset += 1
            } else {
                while true {
                    try skipValue()
                    skipWhitespace()
                    let separator = try peekByte()
                    offset += 1
                    if separator == Byte.comma { continue }
                    if separator == Byte.closeBracket { break }
                    throw JSONScanError.malformed(offset: offset - 1)
                }
            }
            depth -= 1
        case .string: _ = try scanString()
        case .number: _ = try scanNumber()
        case .bool: try consumeLiteral(bytes[offset] == UInt8(ascii: "t") ? "true" : "false")
        case .null: try consumeLiteral("null")
        }
    }

    // MARK: Errors

    /// An ``JSONScanError/invalid(path:reason:)`` at the value being read.
    func failure(_ reason: String) -> JSONScanError {
        .invalid(path: pathText(), reason: reason)
    }

    /// The error for a required member `key` missing from the object just read.
    func missing(_ key: String) -> JSONScanError {
        let base = pathText()
        return .invalid(path: base.isEmpty ? key : base + "." + key, reason: "a required field is missing")
    }

    /// The key as a `String` (for dictionaries and messages).
    func text(of key: JSONKey) -> String {
        guard key.hasEscapes else { return String(decoding: UnsafeBufferPointer(rebasing: bytes[key.range]), as: UTF8.self) }
        var decoded: [UInt8] = []
        Self.unescape(UnsafeBufferPointer(rebasing: bytes[key.range]), into: &decoded)
        return String(decoding: decoded, as: UTF8.self)
    }

    /// `runs[0].results[12].locations`, spelled as ``JSONReport/path(_:)`` spells coding paths.
    private func pathText() -> String {
        var out = ""
        for component in path {
            switch component {
            case .index(let index): out += "[\(index)]"
            case .name(let name): out += out.isEmpty ? name : "." + name
            case .key(let key):
                let name = text(of: key)
                out += out.isEmpty ? name : "." + name
            }
        }
        return out
    }

    // MARK: Tokens

    private enum Byte {
        static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
        static let comma = UInt8(ascii: ","), minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+"), dot = UInt8(ascii: ".")
        static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
        static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
        static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
    }

    /// A string token: the bytes between its quotes, and whether any of them is an escape.
    private struct StringToken {
        let range: Range<Int>
        let hasEscapes: Bool
    }

    private struct NumberToken {
        let range: Range<Int>
        let isInteger: Bool
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The next byte, or `malformed` at the end of the input.
    private func peekByte() throws -> UInt8 {
        guard offset < bytes.count else { throw JSONScanError.malformed(offset: bytes.count) }
        return bytes[offset]
    }

    private mutating func consume(_ byte: UInt8) throws {
        guard try peekByte() == byte else { throw JSONScanError.malformed(offset: offset) }
        offset += 1
    }

    private mutating func consumeLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        for index in 0..<count {
            guard offset + index < bytes.count else { throw JSONScanError.malformed(offset: bytes.count) }
            guard bytes[offset + index] == literal.utf8Start[index] else { throw JSONScanError.malformed(offset: offset + index) }
        }
        offset += count
    }

    /// Checks that the next value is of `kind`, with `DecodingError`'s wording when it is not.
    private mutating func expect(_ kind: ValueKind) throws {
        let found = try peekKind()
        guard found != kind else { return }
        let wanted =
            switch kind {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .bool: "true or false"
            case .null: "null"
            }
        throw failure("expected \(wanted), found \(found == .null ? "null" : "another type")")
    }

    private mutating func enterContainer() throws {
        depth += 1
        if depth > Self.maximumDepth { throw JSONScanError.tooDeep(offset: offset, limit: Self.maximumDepth) }
    }

    private mutating func scanKey() throws -> JSONKey {
        let token = try scanString()
        return JSONKey(bytes: UnsafeBufferPointer(rebasing: bytes[token.range]), range: token.range, hasEscapes: token.hasEscapes)
    }

    /// Scans the string whose opening quote is at `offset`, checking its escapes, that it
    /// holds no raw control characters, and that its bytes are UTF-8 (RFC 8259 §8.1).
    private mutating func scanString() throws -> StringToken {
        let start = offset + 1
        var index = start
        var hasEscapes = false
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte >= 0x80 {
                // Outside strings, any byte above ASCII is a syntax error, so checking here
                // checks the whole document.
                guard let next = UTF8Check.endOfSequence(in: bytes, at: index) else {
                    throw JSONScanError.invalidUTF8(offset: index)
                }
                index = next
                continue
            }
            if byte == Byte.quote {
                offset = index + 1
                return StringToken(range: start..<index, hasEscapes: hasEscapes)
            }
            if byte == Byte.backslash {
                hasEscapes = true
                guard index + 1 < end else { throw JSONScanError.malformed(offset: end) }
                switch bytes[index + 1] {
                case Byte.quote, Byte.backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    for digit in index + 2..<index + 6 {
                        guard digit < end else { throw JSONScanError.malformed(offset: end) }
                        guard Self.hexValue(bytes[digit]) != nil else { throw JSONScanError.malformed(offset: digit) }
                    }
                    index += 6
                default:
                    throw JSONScanError.malformed(offset: index + 1)
                }
                continue
            }
            if byte < 0x20 { throw JSONScanError.malformed(offset: index) }
            index += 1
        }
        throw JSONScanError.malformed(offset: end)
    }

    private mutating func withDecodedBytes<R>(of token: StringToken, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let raw = UnsafeBufferPointer(rebasing: bytes[token.range])
        guard token.hasEscapes else { return try body(raw) }
        unescaped.removeAll(keepingCapacity: true)
        Self.unescape(raw, into: &unescaped)
        return try unescaped.withUnsafeBufferPointer(body)
    }

    /// Decodes the escapes of a string already checked by ``scanString()``. A `\u` escape of a
    /// lone surrogate becomes U+FFFD, as a replacement rather than a refused report.
    fileprivate static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            var runEnd = index
            while runEnd < raw.count, raw[runEnd] != Byte.backslash { runEnd += 1 }
            if runEnd > index { out.append(contentsOf: UnsafeBufferPointer(rebasing: raw[index..<runEnd])) }
            index = runEnd
            guard index < raw.count else { break }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = hex4(raw, at: index)
                index += 4
                var scalar = UInt32(0xFFFD)
                if (0xD800..<0xDC00).contains(unit), index + 6 <= raw.count, raw[index] == Byte.backslash,
                    raw[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(raw, at: index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                } else if !(0xD800..<0xE000).contains(unit) {
                    scalar = unit
                }
                if scalar == 0 {
                    // NUL would cut the string short in C APIs (SQLite's text binding): keep it visible.
                    out.append(contentsOf: visibleNUL)
                    continue
                }
                appendUTF8(scalar, to: &out)
            default: out.append(escape)  // `"`, `\` and `/` stand for themselves
            }
        }
    }

    /// What a `\u0000` escape decodes to: the six characters `\u0000`, visibly.
    static let visibleNUL = Array("\\u0000".utf8)

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for position in index..<index + 4 { value = value << 4 | UInt32(hexValue(raw[position]) ?? 0) }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case Byte.zero...Byte.nine: byte - Byte.zero
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Scans a number (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`) starting at `offset`.
    private mutating func scanNumber() throws -> NumberToken {
        let start = offset
        var index = offset
        let end = bytes.count
        func digits(from position: Int) -> Int {
            var position = position
            while position < end, bytes[position] >= Byte.zero, bytes[position] <= Byte.nine { position += 1 }
            return position
        }
        if bytes[index] == Byte.minus { index += 1 }
        guard index < end else { throw JSONScanError.malformed(offset: end) }
        if bytes[index] == Byte.zero {
            index += 1
        } else {
            let afterDigits = digits(from: index)
            guard afterDigits > index else { throw JSONScanError.malformed(offset: index) }
            index = afterDigits
        }
        var isInteger = true
        if index < end, bytes[index] == Byte.dot {
            isInteger = false
            let afterDigits = digits(from: index + 1)
            guard afterDigits > index + 1 else { throw JSONScanError.malformed(offset: min(index + 1, end)) }
            index = afterDigits
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < end, bytes[index] == Byte.plus || bytes[index] == Byte.minus { index += 1 }
            let afterDigits = digits(from: index)
            guard afterDigits > index else { throw JSONScanError.malformed(offset: min(index, end)) }
            index = afterDigits
        }
        offset = index
        return NumberToken(range: start..<index, isInteger: isInteger)
    }

    /// The value of an integer token, or nil when it does not fit an `Int`.
    private func integer(_ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        let negative = bytes[index] == Byte.minus
        if negative { index += 1 }
        var value = 0
        while index < range.upperBound {
            let digit = Int(bytes[index] - Byte.zero)
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = sum
            index += 1
        }
        return value
    }
}

/// An object member's name as it appears in the document, matched in a `switch` against
/// string literals without making a `String`: `case "ruleId":`.
struct JSONKey {
    fileprivate let bytes: UnsafeBufferPointer<UInt8>
    fileprivate let range: Range<Int>
    fileprivate let hasEscapes: Bool

    static func ~= (pattern: StaticString, key: JSONKey) -> Bool {
        let expected = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        guard key.hasEscapes else { return key.bytes.count == expected.count && key.bytes.elementsEqual(expected) }
        var decoded: [UInt8] = []
        JSONScanner.unescape(key.bytes, into: &decoded)
        return decoded.elementsEqual(expected)
    }
}

/// Why ``JSONScanner`` stopped; ``JSONReport`` turns it into an ``IngestError`` with the file's name.
enum JSONScanError: Error, Equatable {
    /// Not JSON: the byte at `offset` (the input's length when it ended too early) is wrong.
    case malformed(offset: Int)
    /// Nested deeper than `limit` at `offset`.
    case tooDeep(offset: Int, limit: Int)
    /// Well-formed JSON of the wrong shape at `path`.
    case invalid(path: String, reason: String)
    /// The bytes from `offset` on are no UTF-8 sequence (RFC 8259 requires UTF-8).
    case invalidUTF8(offset: Int)
}

/// A value that reads itself from a ``JSONScanner``.
protocol JSONScannable {
    init(scanning scanner: inout JSONScanner) throws
}

extension JSONScanner {
    /// The next value as `T`.
    mutating func decode<T: JSONScannable>(_ type: T.Type) throws -> T {
        try T(scanning: &self)
    }

    /// The next value as `T`, or nil when it is `null`.
    mutating func decodeIfPresent<T: JSONScannable>(_ type: T.Type) throws -> T? {
        try consumeNull() ? nil : T(scanning: &self)
    }

    /// The next value as `[T]`, or nil when it is `null`.
    mutating func arrayIfPresent<T: JSONScannable>(of type: T.Type) throws -> [T]? {
        try consumeNull() ? nil : array { try T(scanning: &$0) }
    }

    mutating func stringIfPresent() throws -> String? {
        try consumeNull() ? nil : string()
    }

    mutating func intIfPresent() throws -> Int? {
        try consumeNull() ? nil : int()
    }
}
