import Foundation
import QGateCore
import Testing

/// XML reports in UTF-16 (Windows tools write it), with a byte order mark and without one
/// (XML 1.0 Appendix F: the declaration's `<?` tells the byte order), read exactly as the
/// UTF-8 original.
struct XMLEncodingTests {
    enum Layout: String, CaseIterable, Sendable {
        case littleEndianBOM, bigEndianBOM, littleEndian, bigEndian
    }

    /// The report re-encoded as UTF-16 in `layout`, its declaration saying so.
    static func utf16(_ utf8: Data, _ layout: Layout) throws -> Data {
        var text = String(decoding: utf8, as: UTF8.self)
        if let range = text.range(of: #"encoding="utf-8""#, options: .caseInsensitive) {
            text.replaceSubrange(range, with: #"encoding="UTF-16""#)
        } else if let range = text.range(of: "?>") {
            text.replaceSubrange(range, with: #" encoding="UTF-16"?>"#)
        } else {
            text = #"<?xml version="1.0" encoding="UTF-16"?>"# + text
        }
        let bigEndian = layout == .bigEndianBOM || layout == .bigEndian
        var bytes: [UInt8] = layout == .littleEndianBOM ? [0xFF, 0xFE] : layout == .bigEndianBOM ? [0xFE, 0xFF] : []
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return Data(bytes)
    }

    static let reports = [
        "reports/main/pytest.xml", "reports/main/flake8.xml", "reports/main/pylint.xml",
        "reports/main/mypy.xml", "reports/main/coverage.xml",
    ]

    @Test(arguments: reports, Layout.allCases)
    func utf16ReadsAsTheUTF8Original(_ fixture: String, _ layout: Layout) throws {
        let original = TestPaths.fixture(fixture)
        let expected = try ReportReader.read(original)
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("report.xml")
        try Self.utf16(try Data(contentsOf: original.url), layout).write(to: url)
        let actual = try ReportReader.read(ReportSource(url: url, displayPath: original.displayPath))
        #expect(actual.format == expected.format)
        #expect(actual.tool == expected.tool)
        #expect(actual.findings == expected.findings)
        #expect(actual.tests == expected.tests)
        #expect(actual.coverage == expected.coverage)
    }

    @Test(arguments: Layout.allCases)
    func detectionSeesTheRootOfUTF16(_ layout: Layout) throws {
        let data = try Self.utf16(Data(#"<?xml version="1.0"?><!-- c --><testsuites><testsuite name="s"/></testsuites>"#.utf8), layout)
        #expect(FormatDetector.detect(prefix: data) == .junit)
    }
}
