import Foundation
import Testing

@testable import QGateCore

/// Issue #16 item 13: the corners of libxml2 2.9 that a report can reach. One element with a
/// million attributes did not finish in 300 s (libxml2 compares each attribute with every
/// earlier one); `<!ATTLIST>` defaults of the document's own internal subset set test names
/// silently; CDATA cost the square of its size (200 MB: 41 s, the same text outside CDATA 0.17 s).
struct XMLHostileTests {
    static func seconds(_ work: () throws -> Void) rethrows -> Double {
        let start = Date()
        try work()
        return Date().timeIntervalSince(start)
    }

    static func junit(_ testcase: String) -> String {
        "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"s\">\(testcase)</testsuite></testsuites>\n"
    }

    @Test func aMillionAttributesAreRefusedQuickly() throws {
        var attributes = ""
        attributes.reserveCapacity(12_000_000)
        for index in 0..<1_000_000 { attributes += " a\(index)=\"\"" }
        let xml = Self.junit("<testcase name=\"t\"\(attributes)/>")
        var error: IngestError?
        let elapsed = Self.seconds { error = #expect(throws: IngestError.self) { try readJUnit(xml) } }
        guard case .limitExceeded(_, _, _, let limit)? = error else {
            Issue.record("expected limitExceeded, got \(String(describing: error))")
            return
        }
        #expect(limit == "more than 1000 attributes on one element")
        #expect(elapsed < 10, "took \(elapsed) s")
    }

    @Test func attributesInsideQuotesCommentsAndCDATAAreNotCounted() throws {
        let equalsSigns = String(repeating: "a=b ", count: 2_000)
        let xml = """
            <?xml version="1.0"?>
            <!-- \(equalsSigns) <x \(equalsSigns)> -->
            <testsuites><testsuite name="s">
            <testcase name="t" classname="\(equalsSigns) &gt; '"><system-out><![CDATA[<y \(equalsSigns)>]]></system-out></testcase>
            <?pi \(equalsSigns)?>
            </testsuite></testsuites>
            """
        let report = try readJUnit(xml)
        #expect(report.tests.count == 1)
    }

    @Test func exactlyTheLimitIsAccepted() throws {
        let attributes = (0..<998).map { " a\($0)=\"\"" }.joined()
        let report = try readJUnit(Self.junit("<testcase name=\"t\" classname=\"c\"\(attributes)/>"))
        #expect(report.tests.map(\.name) == ["t"])
    }

    @Test func internalSubsetAttributeDefaultsAreNotApplied() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE testsuites [
              <!ATTLIST testcase name CDATA "forged" classname CDATA "forged.Class">
              <!ATTLIST failure message CDATA "forged message">
            ]>
            <testsuites><testsuite name="s"><testcase name="real" classname="c"/><testcase><failure/></testcase></testsuite></testsuites>
            """
        // The second testcase has no name of its own: with the default ignored it is refused as nameless.
        let error = #expect(throws: IngestError.self) { try readJUnit(xml) }
        #expect(String(describing: error).contains("name"), "\(String(describing: error))")
        let named = try readJUnit(xml.replacingOccurrences(of: "<testcase><failure/></testcase>", with: ""))
        #expect(named.tests.map(\.name) == ["real"])
        #expect(named.tests.map(\.className) == ["c"])
    }

    @Test func cdataIsReadInLinearTime() throws {
        // 24 MB with `>` in every line: every push used to rescan all that libxml2 held.
        let line = "x -> y >> z\n"
        let body = String(repeating: line, count: 2_000_000)
        let asCDATA = Self.junit("<testcase name=\"t\"><system-out><![CDATA[\(body)]]></system-out></testcase>")
        let asText = Self.junit(
            "<testcase name=\"t\"><system-out>\(body.replacingOccurrences(of: ">", with: "&gt;"))</system-out></testcase>")
        var cdataReport: ParsedReport?
        let cdata = try Self.seconds { cdataReport = try readJUnit(asCDATA) }
        let text = try Self.seconds { _ = try readJUnit(asText) }
        #expect(cdataReport?.tests.count == 1)
        #expect(cdata < max(3.0, text * 8), "CDATA \(cdata) s, text \(text) s")
    }

    @Test func cdataSectionsAcrossChunksKeepTheirContent() throws {
        // Many sections, some crossing the 256 KiB chunk boundaries, one ending right at the end.
        let sections = (0..<40).map { index in "<![CDATA[" + String(repeating: "ab>\(index)]", count: 9_000 + index) + "]]>" }
        let xml = Self.junit("<testcase name=\"t\"><failure message=\"m\">\(sections.joined())</failure></testcase>")
        let report = try readJUnit(xml)
        let details = try #require(report.tests.first?.details)
        #expect(details.hasPrefix("ab>0]ab>0]"))
    }
}
