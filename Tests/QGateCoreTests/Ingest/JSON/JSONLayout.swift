import Foundation

/// A JSON document as an ordered tree, and a writer that lays it out again in other ways
/// (indentation, member order, escapes) without changing what it says: the input of the
/// differential and property-based tests of the JSON readers. Numbers keep their spelling.
indirect enum JSONTree: Equatable, Sendable {
    case object([(String, JSONTree)])
    case array([JSONTree])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: JSONTree, rhs: JSONTree) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(a), .array(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// Parses `data` (one JSON value, optionally after a UTF-8 byte order mark); nil when it is
    /// not JSON.
    init?(parsing data: Data) {
        var reader = Reader(bytes: [UInt8](data))
        if reader.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
        guard let value = reader.value() else { return nil }
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { return nil }
        self = value
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value() -> JSONTree? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, JSONTree)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard let key = string() else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard let member = value() else { return nil }
                    members.append((key, member))
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    index += 1
                    if bytes[index - 1] == UInt8(ascii: "}") { return .object(members) }
                    guard bytes[index - 1] == UInt8(ascii: ",") else { return nil }
                }
            case UInt8(ascii: "["):
                index += 1
                var elements: [JSONTree] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                while true {
                    guard let element = value() else { return nil }
                    elements.append(element)
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    index += 1
                    if bytes[index - 1] == UInt8(ascii: "]") { return .array(elements) }
                    guard bytes[index - 1] == UInt8(ascii: ",") else { return nil }
                }
            case UInt8(ascii: "\""):
                return string().map(JSONTree.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default:
                let start = index
                while index < bytes.count, "+-.0123456789eE".utf8.contains(bytes[index]) { index += 1 }
                return index > start ? .number(String(decoding: bytes[start..<index], as: UTF8.self)) : nil
            }
        }

        mutating func literal(_ text: String, _ value: JSONTree) -> JSONTree? {
            let spelled = Array(text.utf8)
            guard bytes[index...].starts(with: spelled) else { return nil }
            index += spelled.count
            return value
        }

        mutating func string() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            var units: [UInt16] = []
            var raw: [UInt8] = []
            func flush() {
                units += String(decoding: raw, as: UTF8.self).utf16
                raw.removeAll()
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(decoding: units, as: UTF16.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                            let unit = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                        else { return nil }
                        index += 4
                        flush()
                        units.append(unit)
                    case UInt8(ascii: "b"): raw.append(0x08)
                    case UInt8(ascii: "f"): raw.append(0x0C)
                    case UInt8(ascii: "n"): raw.append(0x0A)
                    case UInt8(ascii: "r"): raw.append(0x0D)
                    case UInt8(ascii: "t"): raw.append(0x09)
                    default: raw.append(escape)
                    }
                default:
                    raw.append(byte)
                }
            }
            return nil
        }
    }
}

/// One way of writing a ``JSONTree``. Every choice keeps the document's meaning.
struct JSONLayout: Sendable, CustomStringConvertible {
    enum MemberOrder: Sendable { case original, sorted, reversed, shuffled(seed: UInt64) }
    enum Escapes: Sendable {
        /// Only what JSON requires (`"`, `\`, control characters).
        case minimal
        /// Also every non-ASCII character and `/`, as `\uXXXX` (surrogate pairs above U+FFFF).
        case nonASCII
        /// Every character of every string and member name as `\uXXXX`.
        case everything
        /// Each character escaped or not by a coin toss from `seed`.
        case random(seed: UInt64)
    }

    var indent: String? = nil
    var newline = "\n"
    var spaceAfterColon = false
    var order: MemberOrder = .original
    var escapes: Escapes = .minimal
    /// Whitespace put before every token (random layouts: `"\t \r\n"`).
    var padding: [String] = []
    var paddingSeed: UInt64 = 0

    var description: String {
        "indent \(indent.map { "\($0.count)" } ?? "none"), order \(order), escapes \(escapes), padding \(padding.count)"
    }

    static let compact = JSONLayout()
    static let indented = JSONLayout(indent: "  ", spaceAfterColon: true)
    static let sorted = JSONLayout(indent: "  ", spaceAfterColon: true, order: .sorted)
    static let reversed = JSONLayout(order: .reversed)
    static let escaped = JSONLayout(indent: "\t", newline: "\r\n", escapes: .everything)
    static let nonASCIIEscaped = JSONLayout(spaceAfterColon: true, order: .sorted, escapes: .nonASCII)

    static let named: [(String, JSONLayout)] = [
        ("compact", .compact), ("indented", .indented), ("sorted keys", .sorted), ("reversed keys", .reversed),
        ("\\uXXXX escapes", .escaped), ("non-ASCII escaped", .nonASCIIEscaped),
    ]

    func write(_ tree: JSONTree) -> Data {
        var writer = Writer(layout: self)
        writer.write(tree, depth: 0)
        return Data(writer.out)
    }

    private struct Writer {
        let layout: JSONLayout
        var out: [UInt8] = []
        var orderRandom: SplitMix
        var escapeRandom: SplitMix
        var padRandom: SplitMix

        init(layout: JSONLayout) {
            self.layout = layout
            if case .shuffled(let seed) = layout.order { orderRandom = SplitMix(seed: seed) } else { orderRandom = SplitMix(seed: 0) }
            if case .random(let seed) = layout.escapes { escapeRandom = SplitMix(seed: seed) } else { escapeRandom = SplitMix(seed: 0) }
            padRandom = SplitMix(seed: layout.paddingSeed)
        }

        mutating func emit(_ text: String) { out += Array(text.utf8) }

        mutating func pad() {
            guard !layout.padding.isEmpty else { return }
            let count = Int(padRandom.next() % 3)
            for _ in 0..<count { emit(layout.padding[Int(padRandom.next() % UInt64(layout.padding.count))]) }
        }

        mutating func breakLine(_ depth: Int) {
            guard let indent = layout.indent else { return }
            emit(layout.newline + String(repeating: indent, count: depth))
        }

        mutating func write(_ tree: JSONTree, depth: Int) {
            pad()
            switch tree {
            case .object(let members):
                emit("{")
                let ordered = reordered(members)
                for (position, member) in ordered.enumerated() {
                    if position > 0 { emit(",") }
                    breakLine(depth + 1)
                    pad()
                    string(member.0)
                    pad()
                    emit(layout.spaceAfterColon ? ": " : ":")
                    write(member.1, depth: depth + 1)
                    pad()
                }
                if !ordered.isEmpty { breakLine(depth) }
                emit("}")
            case .array(let elements):
                emit("[")
                for (position, element) in elements.enumerated() {
                    if position > 0 { emit(",") }
                    breakLine(depth + 1)
                    write(element, depth: depth + 1)
                    pad()
                }
                if !elements.isEmpty { breakLine(depth) }
                emit("]")
            case .string(let text): string(text)
            case .number(let text): emit(text)
            case .bool(let value): emit(value ? "true" : "false")
            case .null: emit("null")
            }
        }

        /// The members in the layout's order. A repeated member name keeps the relative order
        /// of its copies in every layout, so which copy a reader keeps is the same in all of them.
        mutating func reordered(_ members: [(String, JSONTree)]) -> [(String, JSONTree)] {
            var keys: [String] = []
            var groups: [String: [(String, JSONTree)]] = [:]
            for member in members {
                if groups[member.0] == nil { keys.append(member.0) }
                groups[member.0, default: []].append(member)
            }
            switch layout.order {
            case .original: return members
            case .sorted: keys.sort()
            case .reversed: keys.reverse()
            case .shuffled:
                for index in stride(from: keys.count - 1, to: 0, by: -1) {
                    keys.swapAt(index, Int(orderRandom.next() % UInt64(index + 1)))
                }
            }
            return keys.flatMap { groups[$0] ?? [] }
        }

        mutating func string(_ text: String) {
            out.append(UInt8(ascii: "\""))
            for scalar in text.unicodeScalars {
                let escape: Bool
                switch layout.escapes {
                case .minimal: escape = false
                case .nonASCII: escape = !scalar.isASCII || scalar == "/"
                case .everything: escape = true
                case .random: escape = escapeRandom.next() % 2 == 0
                }
                switch scalar {
                case "\"": emit(escape ? "\\u0022" : "\\\"")
                case "\\": emit(escape ? "\\u005C" : "\\\\")
                case "\n" where !escape: emit("\\n")
                case "\t" where !escape: emit("\\t")
                case "\r" where !escape: emit("\\r")
                default:
                    if escape || scalar.value < 0x20 {
                        for unit in String(scalar).utf16 { emit(String(format: "\\u%04X", unit)) }
                    } else {
                        out += Array(String(scalar).utf8)
                    }
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}

/// A small deterministic random source, so that every layout can be written again from its seed.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
