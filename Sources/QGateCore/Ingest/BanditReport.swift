/// The parts of bandit's `-f json` report that qgate reads. `metrics` and `generated_at` are
/// deliberately not decoded: their number types changed between bandit versions (`1.0` vs `1`)
/// and the totals count issues before bandit's own filters, so nothing may depend on them.
struct BanditReport: Decodable {
    var results: [BanditResult]
    /// Files bandit could not scan; absent in no known version, but harmless to miss.
    var errors: [BanditScanError]?
}

/// One `errors[]` entry: a file bandit skipped, and why.
struct BanditScanError: Decodable {
    var filename: String
    var reason: String
}

/// One `results[]` entry, as `bandit/core/issue.py` `as_dict()` writes it. Fields added in
/// later versions (`col_offset`, `end_col_offset`, `issue_cwe`) are optional. The numbered
/// `code` excerpt is reduced to the flagged line while decoding, so a large report does not
/// keep every excerpt in memory.
struct BanditResult: Decodable {
    var snippet: String?
    var colOffset: Int?
    var endColOffset: Int?
    var filename: String
    var issueConfidence: String?
    var issueCWE: BanditCWE?
    var issueSeverity: BanditSeverity
    var issueText: String
    var lineNumber: Int
    var lineRange: [Int]?
    var testID: String
    var testName: String?

    enum CodingKeys: String, CodingKey {
        case code
        case colOffset = "col_offset"
        case endColOffset = "end_col_offset"
        case filename
        case issueConfidence = "issue_confidence"
        case issueCWE = "issue_cwe"
        case issueSeverity = "issue_severity"
        case issueText = "issue_text"
        case lineNumber = "line_number"
        case lineRange = "line_range"
        case testID = "test_id"
        case testName = "test_name"
    }

    init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: CodingKeys.self)
        let line = try object.decode(Int.self, forKey: .lineNumber)
        lineNumber = line
        snippet = try object.decodeIfPresent(String.self, forKey: .code).flatMap { BanditCode.sourceLine(line, in: $0) }
        colOffset = try object.decodeIfPresent(Int.self, forKey: .colOffset)
        endColOffset = try object.decodeIfPresent(Int.self, forKey: .endColOffset)
        filename = try object.decode(String.self, forKey: .filename)
        issueConfidence = try object.decodeIfPresent(String.self, forKey: .issueConfidence)
        issueCWE = try object.decodeIfPresent(BanditCWE.self, forKey: .issueCWE)
        issueSeverity = try object.decode(BanditSeverity.self, forKey: .issueSeverity)
        issueText = try object.decode(String.self, forKey: .issueText)
        lineRange = try object.decodeIfPresent([Int].self, forKey: .lineRange)
        testID = try object.decode(String.self, forKey: .testID)
        testName = try object.decodeIfPresent(String.self, forKey: .testName)
    }
}

/// bandit's severity words. A closed set: an unknown word is an error rather than a guess,
/// because a gate that silently downgrades an unknown severity is a false pass.
enum BanditSeverity: String, Decodable {
    case high = "HIGH", medium = "MEDIUM", low = "LOW", undefined = "UNDEFINED"

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let word = try container.decode(String.self)
        guard let severity = BanditSeverity(rawValue: word.uppercased()) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown severity \"\(word)\" (bandit writes HIGH, MEDIUM, LOW or UNDEFINED)")
        }
        self = severity
    }

    /// SPEC §3: HIGH → high, MEDIUM → medium, LOW → low, UNDEFINED → info.
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
struct BanditCWE: Decodable {
    var id: Int?

    enum CodingKeys: String, CodingKey { case id }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: CodingKeys.self) {
            id = try? container.decodeIfPresent(BanditCWEIdentifier.self, forKey: .id)?.value
        } else {
            id = try BanditCWEIdentifier(from: decoder).value
        }
    }
}

/// A CWE id written as `78`, `"78"` or `"CWE-78"`; nil for anything else.
private struct BanditCWEIdentifier: Decodable {
    var value: Int?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = number
        } else if let text = try? container.decode(String.self) {
            value = Int(text.drop(while: { !$0.isNumber }))
        } else {
            value = nil
        }
    }
}
