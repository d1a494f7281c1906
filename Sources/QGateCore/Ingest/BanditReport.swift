/// The parts of bandit's `-f json` report that qgate reads, read with a ``JSONScanner``.
/// `metrics` and `generated_at` are skipped unread: their number types changed between bandit
/// versions (`1.0` vs `1`) and the totals count issues before bandit's own filters, so nothing
/// may depend on them.
struct BanditReport: JSONScannable {
    var results: [BanditResult]
    /// Files bandit could not scan; absent in no known version, but harmless to miss.
    var errors: [BanditScanError]?

    init(scanning scanner: inout JSONScanner) throws {
        var results: [BanditResult]?
        var errors: [BanditScanError]?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "results": results = try scanner.array { try BanditResult(scanning: &$0) }
            case "errors": errors = try scanner.arrayIfPresent(of: BanditScanError.self)
            default: try scanner.skipValue()
            }
        }
        guard let results else { throw scanner.missing("results") }
        self.results = results
        self.errors = errors
    }
}

/// One `errors[]` entry: a file bandit skipped, and why.
struct BanditScanError: JSONScannable {
    var filename: String
    var reason: String

    init(scanning scanner: inout JSONScanner) throws {
        var filename: String?
        var reason: String?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "filename": filename = try scanner.string()
            case "reason": reason = try scanner.string()
            default: try scanner.skipValue()
            }
        }
        guard let filename else { throw scanner.missing("filename") }
        guard let reason else { throw scanner.missing("reason") }
        self.filename = filename
        self.reason = reason
    }
}

/// One `results[]` entry, as `bandit/core/issue.py` `as_dict()` writes it. Fields added in
/// later versions (`col_offset`, `end_col_offset`, `issue_cwe`) are optional. The numbered
/// `code` excerpt is reduced to the flagged line without ever becoming a `String`: bandit
/// sorts its keys, so `code` comes before `line_number`, and is read back once that is known.
struct BanditResult: JSONScannable {
    var snippet: String?
    var colOffset: Int?
    var endColOffset: Int?
    var filename: String
    var issueConfidence: String?
    var issueCWE: Int?
    var issueSeverity: BanditSeverity
    var issueText: String
    var lineNumber: Int
    var lineRange: [Int]?
    var testID: String
    var testName: String?

    init(scanning scanner: inout JSONScanner) throws {
        var codeOffset: Int?
        var colOffset: Int?
        var endColOffset: Int?
        var filename: String?
        var issueConfidence: String?
        var issueCWE: Int?
        var issueSeverity: BanditSeverity?
        var issueText: String?
        var lineNumber: Int?
        var lineRange: [Int]?
        var testID: String?
        var testName: String?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "code":
                if try scanner.peekKind() == .string {
                    codeOffset = scanner.offset
                    try scanner.skipValue()
                } else {
                    _ = try scanner.stringIfPresent()  // null, or the type error
                }
            case "col_offset": colOffset = try scanner.intIfPresent()
            case "end_col_offset": endColOffset = try scanner.intIfPresent()
            case "filename": filename = try scanner.string()
            case "issue_confidence": issueConfidence = try scanner.stringIfPresent()
            case "issue_cwe": issueCWE = try BanditCWE.identifier(scanning: &scanner)
            case "issue_severity": issueSeverity = try BanditSeverity(scanning: &scanner)
            case "issue_text": issueText = try scanner.string()
            case "line_number": lineNumber = try scanner.int()
            case "line_range": lineRange = try scanner.optional { try $0.array { try $0.int() } }
            case "test_id": testID = try scanner.string()
            case "test_name": testName = try scanner.stringIfPresent()
            default: try scanner.skipValue()
            }
        }
        // Checked in the order the Decodable version checked them, so messages stay the same.
        guard let lineNumber else { throw scanner.missing("line_number") }
        guard let filename else { throw scanner.missing("filename") }
        guard let issueSeverity else { throw scanner.missing("issue_severity") }
        guard let issueText else { throw scanner.missing("issue_text") }
        guard let testID else { throw scanner.missing("test_id") }
        self.lineNumber = lineNumber
        // The line the flagged node starts on, which is the line (and snippet) bandit's SARIF
        // starts its region with: the JSON and SARIF of one scan identify a finding alike.
        let firstLine = lineRange?.first ?? lineNumber
        snippet = try codeOffset.flatMap { offset in
            try scanner.withStringBytes(at: offset) { BanditCode.sourceLine(firstLine, in: $0) }
        }
        self.colOffset = colOffset
        self.endColOffset = endColOffset
        self.filename = filename
        self.issueConfidence = issueConfidence
        self.issueCWE = issueCWE
        self.issueSeverity = issueSeverity
        self.issueText = issueText
        self.lineRange = lineRange
        self.testID = testID
        self.testName = testName
    }
}

/// bandit's severity words. A closed set: an unknown word is an error rather than a guess,
/// because a gate that silently downgrades an unknown severity is a false pass.
enum BanditSeverity: String, JSONScannable {
    case high = "HIGH", medium = "MEDIUM", low = "LOW", undefined = "UNDEFINED"

    init(scanning scanner: inout JSONScanner) throws {
        let word = try scanner.string()
        guard let severity = BanditSeverity(rawValue: word) ?? BanditSeverity(rawValue: word.uppercased()) else {
            throw scanner.failure("unknown severity \"\(word)\" (bandit writes HIGH, MEDIUM, LOW or UNDEFINED)")
        }
        self = severity
    }

    /// README (Severity mapping): HIGH → high, MEDIUM → medium, LOW → low, UNDEFINED → info.
    var severity: Severity {
        switch self {
        case .high: .high
        case .medium: .medium
        case .low: .low
        case .undefined: .info
        }
    }
}

/// `issue_cwe`: `{"id": 78, "link": …}`, or `{}` when the test sets no CWE. Some third-party
/// documents spell the id `"CWE-259"`, or put that string in place of the object; both are read.
/// Anything else means "no CWE", never an error.
enum BanditCWE {
    static func identifier(scanning scanner: inout JSONScanner) throws -> Int? {
        guard try scanner.peekKind() == .object else { return try number(scanning: &scanner) }
        var id: Int?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "id": id = try number(scanning: &scanner)
            default: try scanner.skipValue()
            }
        }
        return id
    }

    /// A CWE id written as `78`, `"78"` or `"CWE-78"`; nil for anything else.
    private static func number(scanning scanner: inout JSONScanner) throws -> Int? {
        switch try scanner.peekKind() {
        case .number:
            let value = try scanner.double()
            return value == value.rounded() && abs(value) < 1e15 ? Int(value) : nil
        case .string:
            let text = try scanner.string()
            return Int(text.drop(while: { !$0.isNumber }))
        default:
            try scanner.skipValue()
            return nil
        }
    }
}
