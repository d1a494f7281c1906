import Foundation
import Testing

@testable import QGateCore

/// The streaming JSON reader under the SARIF and bandit parsers: what it decodes, what it
/// refuses, and where it says the problem is.
struct JSONScannerTests {
    static func scan<T>(_ json: String, _ read: (inout JSONScanner) throws -> T) throws -> T {
        try JSONScanner.scan(Data(json.utf8), read)
    }

    static func error<T>(_ json: String, _ read: (inout JSONScanner) throws -> T) -> JSONScanError? {
        #expect(throws: JSONScanError.self) { _ = try scan(json, read) }
    }

    /// Reads `{"a": …, "b": …}` keeping a, skipping everything else.
    struct Pair: JSONScannable, Equatable {
        var a: String?
        var b: Int?

        init(scanning scanner: inout JSONScanner) throws {
            try scanner.forEachMember { scanner, key in
                switch key {
                case "a": a = try scanner.stringIfPresent()
                case "b": b = try scanner.intIfPresent()
                default: try scanner.skipValue()
                }
            }
        }
    }

    // MARK: Strings

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""""#, ""),
        (#""q\"b\\s\/""#, "q\"b\\s/"),
        (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\ud83d\ude00 smile""#, "😀 smile"),  // surrogate pair
        (#""lone \ud83d here""#, "lone \u{FFFD} here"),  // high surrogate alone
        (#""lone \ude00""#, "lone \u{FFFD}"),  // low surrogate alone
        (#""\ud83d\u0041""#, "\u{FFFD}A"),  // high surrogate then a non-surrogate
        ("\"raw é 😀\"", "raw é 😀"),
    ])
    func decodesStrings(_ json: String, _ expected: String) throws {
        #expect(try Self.scan(json) { try $0.string() } == expected)
    }

    @Test func escapedKeysMatchTheirDecodedName() throws {
        let pair = try Self.scan(#"{"\u0061": "x", "\u0062": 2}"#) { try Pair(scanning: &$0) }
        #expect(pair.a == "x" && pair.b == 2)
    }

    // MARK: Numbers

    @Test(arguments: [
        ("0", 0), ("-0", 0), ("42", 42), ("-17", -17), ("3.0", 3), ("1e3", 1000),
        ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
    ])
    func readsIntegers(_ json: String, _ expected: Int) throws {
        #expect(try Self.scan(json) { try $0.int() } == expected)
    }

    @Test(arguments: [("7.5", 7.5), ("-0.25", -0.25), ("1E-2", 0.01), ("2e+2", 200), ("12", 12)])
    func readsDoubles(_ json: String, _ expected: Double) throws {
        #expect(try Self.scan(json) { try $0.double() } == expected)
    }

    @Test func aFractionIsNotAnInteger() {
        #expect(
            Self.error("[3.5]") { try $0.array { try $0.int() } }
                == .invalid(path: "[0]", reason: "expected an integer, found 3.5"))
        #expect(
            Self.error("99999999999999999999") { try $0.int() }
                == .invalid(path: "", reason: "expected an integer, found 99999999999999999999"))
    }

    @Test(arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "- 1"])
    func malformedNumbersAreRefused(_ json: String) {
        let error = Self.error(json) { try $0.skipValue() }
        guard case .malformed? = error else { Issue.record("expected malformed for \(json), got \(String(describing: error))"); return }
    }

    // MARK: Skipping

    @Test func skippedValuesAreCheckedButNotKept() throws {
        let json = #"{"x": {"deep": [1, 2.5e3, true, false, null, "s\"t", {}, []]}, "a": "kept", "y": [], "b": 7}"#
        #expect(try Self.scan(json) { try Pair(scanning: &$0) } == Self.scan(#"{"a": "kept", "b": 7}"#) { try Pair(scanning: &$0) })
        let broken = #"{"x": {"deep": [1, , 2]}, "a": "kept"}"#
        #expect(Self.error(broken) { try Pair(scanning: &$0) } == .malformed(offset: 19))
    }

    @Test func nullIsNilForOptionalMembers() throws {
        let pair = try Self.scan(#"{"a": null, "b": null}"#) { try Pair(scanning: &$0) }
        #expect(pair.a == nil && pair.b == nil)
    }

    @Test func revisitReadsAnEarlierMemberOutOfOrder() throws {
        let text = try Self.scan(#"{"code": "1 a\n2 b", "line": 2}"#) { scanner -> String in
            var codeOffset = 0
            var line = 0
            try scanner.forEachMember { scanner, key in
                switch key {
                case "code":
                    codeOffset = scanner.offset
                    try scanner.skipValue()
                case "line": line = try scanner.int()
                default: try scanner.skipValue()
                }
            }
            return try scanner.withStringBytes(at: codeOffset) { String(decoding: $0, as: UTF8.self) } + "@\(line)"
        }
        #expect(text == "1 a\n2 b@2")
    }

    // MARK: Depth

    @Test func nestingIsBounded() {
        let limit = JSONScanner.maximumDepth
        let fits = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try Self.scan(fits) { try $0.skipValue() } }
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(Self.error(tooDeep) { try $0.skipValue() } == .tooDeep(offset: limit, limit: limit))
    }

    @Test func tooDeepIsALimitWithItsPosition() throws {
        let source = try TestPaths.temporaryReport("deep.json", "\n" + String(repeating: "[", count: 600))
        let data = try source.readAll()
        let error = #expect(throws: IngestError.self) { try JSONReport.scan(data, source: source) { try $0.skipValue() } }
        #expect(error == .limitExceeded(file: source.displayPath, line: 2, column: 513, limit: "JSON nested deeper than 512 levels"))
    }

    // MARK: Malformed input, with its position

    @Test(arguments: [
        ("{\"a\": \"x\"", 9),  // truncated object: at the end
        ("{\"a\": \"unterminated", 19),
        ("{\"b\": 1 2}", 8),  // missing comma
        ("{\"a\" \"x\"}", 5),  // missing colon: at the string
        ("{\"a\": \"x\",}", 10),  // trailing comma: at the brace
        ("{\"a\": \"x\"} extra", 11),  // trailing text
        ("{\"a\": \"tab\there\"}", 10),  // raw control character in a string
        ("{\"a\": \"\\x\"}", 8),  // unknown escape
        ("{\"a\": \"\\u12G4\"}", 11),  // bad hex digit
        ("{\"z\": tru}", 9),
        ("", 0),
    ])
    func malformedInputNamesTheOffendingByte(_ json: String, _ offset: Int) {
        #expect(Self.error(json) { try Pair(scanning: &$0) } == .malformed(offset: offset))
    }

    @Test func malformedBecomesAnIngestErrorWithLineAndColumn() throws {
        let source = try TestPaths.temporaryReport("broken.json", "{\n  \"a\": \"x\",\n  \"b\": [1,\n")
        let data = try source.readAll()
        let error = #expect(throws: IngestError.self) { try JSONReport.scan(data, source: source) { try Pair(scanning: &$0) } }
        // "b" is read as an int, so the array is a type error before it is a syntax error.
        #expect(error == .invalid(file: source.displayPath, at: "b", reason: "expected a number, found another type"))
        let truncated = try TestPaths.temporaryReport("truncated.json", "{\n  \"a\": \"x\",\n  \"c\": [1,\n")
        let truncatedError = #expect(throws: IngestError.self) {
            try JSONReport.scan(try truncated.readAll(), source: truncated) { try Pair(scanning: &$0) }
        }
        #expect(truncatedError == .malformed(file: truncated.displayPath, line: 4, column: 1, reason: "not valid JSON"))
    }

    // MARK: Wrong types, with the JSON path

    @Test func wrongTypesNameTheirPath() {
        let read: (inout JSONScanner) throws -> [Pair] = { try $0.array { try Pair(scanning: &$0) } }
        #expect(Self.error(#"[{"a": "x"}, {"a": 1}]"#, read) == .invalid(path: "[1].a", reason: "expected a string, found another type"))
        #expect(Self.error(#"[{"b": "1"}]"#, read) == .invalid(path: "[0].b", reason: "expected a number, found another type"))
        #expect(Self.error(#"[null]"#, read) == .invalid(path: "[0]", reason: "expected an object, found null"))
        #expect(Self.error(#"{"a": 1}"#, read) == .invalid(path: "", reason: "expected an array, found another type"))
        #expect(
            Self.error(#"{"x": [true]}"#) { try $0.forEachMember { scanner, _ in _ = try scanner.array { try $0.string() } } }
                == .invalid(path: "x[0]", reason: "expected a string, found another type"))
        #expect(
            Self.error(#"{"x": "y"}"#) { try $0.forEachMember { scanner, _ in _ = try scanner.bool() } }
                == .invalid(path: "x", reason: "expected true or false, found another type"))
    }

    @Test func missingMembersNameTheirPath() {
        let error = Self.error(#"{"outer": {"inner": {}}}"#) { scanner in
            try scanner.forEachMember { scanner, _ in
                try scanner.forEachMember { scanner, _ in
                    try scanner.forEachMember { _, _ in }
                    throw scanner.missing("name")
                }
            }
        }
        #expect(error == .invalid(path: "outer.inner.name", reason: "a required field is missing"))
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try JSONScanner.scan(Data([0xEF, 0xBB, 0xBF] + Array("\"x\"".utf8))) { try $0.string() } == "x")
    }
}
