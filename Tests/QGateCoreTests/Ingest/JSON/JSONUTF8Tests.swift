import Foundation
import QGateCore
import Testing

/// RFC 8259 §8.1: JSON exchanged between systems is UTF-8. A report with bytes that are not
/// UTF-8 is refused, naming the file and the byte, wherever the bytes are (a value qgate reads,
/// one it skips, a member name), never read with silent replacement characters.
struct JSONUTF8Tests {
    /// A bandit report with `bytes` spliced in where `@@` stands.
    static func bandit(_ template: String, _ bytes: [UInt8]) -> (data: Data, offset: Int) {
        let parts = template.components(separatedBy: "@@")
        let head = Array(parts[0].utf8)
        return (Data(head + bytes + Array(parts[1].utf8)), head.count)
    }

    static let templates = [
        // in a value qgate reads
        #"{"results": [{"filename": "a.py", "issue_severity": "LOW", "issue_text": "bad @@ text", "line_number": 1, "test_id": "B101"}]}"#,
        // in a value qgate skips
        #"{"metrics": {"note": "x@@y"}, "results": []}"#,
        // in a member name
        #"{"results": [], "gen@@": 1}"#,
    ]

    static let invalidSequences: [[UInt8]] = [
        [0xFF],  // never in UTF-8
        [0x80],  // a continuation byte alone
        [0xC3],  // a lead byte without its continuation (then a quote or letter)
        [0xC0, 0xAF],  // overlong "/"
        [0xE0, 0x80, 0xAF],  // overlong, three bytes
        [0xED, 0xA0, 0x80],  // a UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80],  // beyond U+10FFFF
        [0xF0, 0x9F, 0x98],  // a four-byte sequence cut short
    ]

    @Test(arguments: templates, invalidSequences)
    func invalidUTF8IsRefusedNamingTheByte(_ template: String, _ sequence: [UInt8]) throws {
        let (data, offset) = Self.bandit(template, sequence)
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("bandit.json")
        try data.write(to: url)
        let source = ReportSource(url: url, displayPath: "bandit.json")
        #expect {
            try ReportReader.read(source, as: .banditJSON)
        } throws: { error in
            guard case .malformed(let file, let line, let column, let reason) = error as? IngestError else { return false }
            return file == "bandit.json" && line == 1 && column == offset + 1
                && reason == "invalid UTF-8 at byte \(offset); JSON reports must be UTF-8"
        }
    }

    @Test func invalidUTF8InSARIFIsRefusedToo() throws {
        let head = Array(#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "a"#.utf8)
        let data = Data(head + [0xFE] + Array(#""}}]}]}"#.utf8))
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("x.sarif")
        try data.write(to: url)
        #expect(
            throws: IngestError.malformed(
                file: "x.sarif", line: 1, column: head.count + 1,
                reason: "invalid UTF-8 at byte \(head.count); JSON reports must be UTF-8")
        ) {
            try ReportReader.read(ReportSource(url: url, displayPath: "x.sarif"))
        }
    }

    @Test func invalidUTF8InSafetyIsRefused() throws {
        let url = TestPaths.fixtures.appendingPathComponent("reports/main/safety.json")
        var bytes = [UInt8](try Data(contentsOf: url))
        let marker = Array("\"advisory\": \"".utf8)
        let start = try #require((0..<(bytes.count - marker.count)).first { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        bytes.insert(0xFF, at: start + marker.count)
        let copy = try TestPaths.temporaryDirectory().appendingPathComponent("safety.json")
        try Data(bytes).write(to: copy)
        #expect {
            try ReportReader.read(ReportSource(url: copy, displayPath: "safety.json"))
        } throws: { error in
            guard case .malformed(let file, _, _, let reason) = error as? IngestError else { return false }
            return file == "safety.json" && reason == "invalid UTF-8 at byte \(start + marker.count); JSON reports must be UTF-8"
        }
    }

    @Test func everyValidSequenceIsRead() throws {
        let text = "é € 😀 \u{7FF} \u{800} \u{FFFF} \u{10000} \u{10FFFF} \u{E000}"
        let json =
            #"{"results": [{"filename": "a.py", "issue_severity": "LOW", "issue_text": ""# + text
            + #"", "line_number": 1, "test_id": "B101"}]}"#
        let report = try ReportReader.read(try TestPaths.temporaryReport("bandit.json", json), as: .banditJSON)
        #expect(report.findings.first?.message == text)
    }
}
