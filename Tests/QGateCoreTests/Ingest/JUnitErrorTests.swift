import Foundation
import QGateCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every way a JUnit file is refused, with the exact error and position (libxml2 places it at
/// the end of the offending start tag), and the XML attacks
/// (XXE, entity bombs, deep nesting, DTD fetches) that must never get through. Inline inputs:
/// these are odd on purpose.
struct JUnitErrorTests {
    private func refusal(_ xml: String, as format: ReportFormat? = nil) -> IngestError? {
        #expect(throws: IngestError.self) { try readJUnit(xml, as: format) }
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func truncatedRealFileIsMalformedAtLibxml2sPosition() throws {
        let error = #expect(throws: IngestError.self) {
            try ReportReader.read(TestPaths.realReport("junit-pytest/edge-truncated-corrupt.xml"))
        }
        guard case .malformed(let file, let line, let column, let reason)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect((file, line, column) == ("junit-pytest/edge-truncated-corrupt.xml", 11, 22))
        #expect(reason == "the file ends before its elements are closed")
    }

    @Test func truncatedInlineFileIsNotZeroTests() {
        let error = refusal(#"<testsuite name="pytest"><testcase classname="a" name="b">"#)
        guard case .malformed(_, let line, _, _)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(line == 1)
    }

    @Test func aRootThatIsNotJUnitIsNamed() {
        let error = refusal(
            """
            <?xml version="1.0"?>
            <coverage line-rate="1"><packages/></coverage>
            """, as: .junit)
        #expect(
            error
                == .invalid(
                    file: "inline.xml", at: "2:24",
                    reason: "the root element is <coverage>, not <testsuites> or <testsuite>, so this is not a JUnit XML report"))
    }

    @Test func aTestcaseInsideATestcaseIsRefused() {
        #expect(
            refusal(#"<testsuite><testcase name="a"><testcase name="b"/></testcase></testsuite>"#)
                == .invalid(file: "inline.xml", at: "1:49", reason: "a <testcase> inside another <testcase>"))
    }

    @Test func aSuiteInsideATestcaseIsRefused() {
        #expect(
            refusal(#"<testsuite><testcase name="a"><testsuite name="b"/></testcase></testsuite>"#)
                == .invalid(file: "inline.xml", at: "1:50", reason: "a <testsuite> inside a <testcase>"))
    }

    @Test func aFailureOutsideATestcaseIsRefused() {
        #expect(
            refusal(#"<testsuite name="x"><failure message="m"/></testsuite>"#)
                == .invalid(file: "inline.xml", at: "1:41", reason: "a <failure> outside any <testcase>"))
    }

    @Test func aTestcaseWithoutNameIsRefused() {
        #expect(
            refusal("<testsuite>\n  <testcase classname=\"a\"/></testsuite>")
                == .invalid(file: "inline.xml", at: "2:26", reason: "a <testcase> without a name attribute"))
    }

    @Test func aTimeThatIsNotANumberIsRefused() {
        #expect(
            refusal(#"<testsuite><testcase name="a" time="fast"/></testsuite>"#)
                == .invalid(file: "inline.xml", at: "1:42", reason: "<testcase> has time=\"fast\", which is not a number of seconds"))
    }

    @Test func aLineThatIsNotANumberIsRefused() {
        #expect(
            refusal(#"<testsuite name="flake8"><testcase name="a.py"><failure line="one" message="E1 x"/></testcase></testsuite>"#)
                == .invalid(file: "inline.xml", at: "1:82", reason: "<failure> has line=\"one\", which is not a line or column number"))
    }

    // MARK: XML attacks

    @Test func externalEntityIsRefusedAndNothingIsRead() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "QGATE-XXE-MARKER-\(UUID().uuidString)"
        let marker = directory.appendingPathComponent("marker.txt")
        try Data(secret.utf8).write(to: marker)
        var thrown: IngestError?
        do {
            _ = try readJUnit(
                """
                <?xml version="1.0"?>
                <!DOCTYPE testsuites [<!ENTITY xxe SYSTEM "file://\(marker.path)">]>
                <testsuites><testsuite name="pytest"><testcase classname="a" name="b">\
                <failure message="&xxe;">&xxe;</failure></testcase></testsuite></testsuites>
                """)
        } catch let error as IngestError {
            thrown = error
        }
        guard case .unsafe(let file, let line, _, let reason)? = thrown else {
            Issue.record("expected the file to be refused as unsafe, got \(String(describing: thrown))")
            return
        }
        #expect(file == "inline.xml")
        #expect(line == 2)
        #expect(reason.contains("<!ENTITY"))
        #expect(!String(describing: thrown).contains(secret))
    }

    @Test func billionLaughsIsRefusedQuickly() {
        var entities = #"<!ENTITY lol "lol">"#
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        let started = Date()
        let error = refusal(
            """
            <?xml version="1.0"?><!DOCTYPE testsuites [\(entities)]>
            <testsuites><testsuite><testcase name="a"><failure message="&lol9;">&lol9;</failure></testcase></testsuite></testsuites>
            """)
        guard case .unsafe? = error else {
            Issue.record("expected unsafe, got \(String(describing: error))")
            return
        }
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func anExternalDTDIsNeverFetched() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let report = try readJUnit(
            """
            <?xml version="1.0"?>
            <!DOCTYPE testsuite SYSTEM "http://127.0.0.1:\(listener.port)/junit.dtd">
            <testsuite name="pytest"><testcase classname="a" name="b"/></testsuite>
            """)
        #expect(TestCounts(report.tests) == counts(total: 1, passed: 1))
        #expect(listener.connectionsWaiting == false)
    }

    @Test func nestingDeeperThan256IsRefused() {
        let depth = 300
        let xml =
            "<testsuites>" + String(repeating: "<testsuite>", count: depth) + String(repeating: "</testsuite>", count: depth)
            + "</testsuites>"
        let error = refusal(xml)
        guard case .limitExceeded(_, let line, _, let limit)? = error else {
            Issue.record("expected a limit error, got \(String(describing: error))")
            return
        }
        #expect(line == 1)
        #expect(limit.contains("256"))
    }
}

/// A TCP socket listening on 127.0.0.1, to prove that nothing connects to it.
private final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        try #require(descriptor >= 0 && bound)
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
        _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
    }

    /// Whether anyone connected (the kernel queues connections until accepted).
    var connectionsWaiting: Bool {
        let connection = accept(descriptor, nil, nil)
        if connection >= 0 { closeDescriptor(connection) }
        return connection >= 0
    }

    func close() {
        closeDescriptor(descriptor)
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #else
        _ = Darwin.close(descriptor)
    #endif
}
