import Foundation

/// Receives a JUnit file from ``XMLStreamReader`` and keeps only what any dialect needs: one
/// ``JUnitTestCase`` per `<testcase>`, outcome texts cut at ``Limits/detailsBytes``, and the
/// clues to which tool wrote it. `<system-out>`/`<system-err>` are never kept (only their first
/// bytes are looked at, to recognise pylint), so memory stays flat however large the logs are.
final class JUnitStreamHandler: XMLStreamHandler {
    enum Limits {
        /// Text kept per failure/error/skipped element.
        static let detailsBytes = 64 * 1024
        /// Longest mypy line read; longer lines keep their head.
        static let mypyLineBytes = 16 * 1024
        /// Bytes of a `<system-out>` looked at for pylint's "All checks passed for:".
        static let systemOutProbeBytes = 64
    }

    @exclusivity(unchecked) private(set) var document = JUnitDocument()

    private let displayPath: String
    private let forcedDialect: JUnitDialect?
    // Read on every SAX event: no dynamic exclusivity check (one thread drives the handler).
    private var suiteNames: [String] = []
    @exclusivity(unchecked) private var testCase: OpenTestCase?
    @exclusivity(unchecked) private var outcome: OpenOutcome?
    @exclusivity(unchecked) private var systemOutProbe: (text: BoundedText, depth: Int)?

    /// A `<testcase>` being read.
    private struct OpenTestCase {
        var value: JUnitTestCase
        let depth: Int
        /// Whether its outcome text is split into mypy lines as it streams.
        let readsMypyLines: Bool
    }

    /// A failure/error/skipped/rerun element being read, and the depth whose text it takes
    /// (its own, or that of a Surefire `<stackTrace>` child while one is open).
    private struct OpenOutcome {
        var value: JUnitOutcome
        var text: BoundedText
        var mypyLines: LineSplitter?
        let depth: Int
        var textDepth: Int
    }

    init(displayPath: String, forcedDialect: JUnitDialect?) {
        self.displayPath = displayPath
        self.forcedDialect = forcedDialect
    }

    // MARK: XMLStreamHandler

    func startElement(_ name: XMLName, attributes: XMLAttributes, reader: XMLStreamReader) throws {
        let depth = reader.depth
        if depth == 1 { try checkRoot(name, attributes: attributes, reader: reader) }
        if outcome != nil {
            if name.is("stackTrace"), depth == (outcome?.depth ?? 0) + 1 { outcome?.textDepth = depth }
        } else if name.is("testsuite") {
            try startSuite(attributes, reader: reader)
        } else if name.is("testcase") {
            try startTestCase(attributes, depth: depth, reader: reader)
        } else if let kind = JUnitOutcomeKind(element: name) {
            try startOutcome(kind, attributes, depth: depth, reader: reader)
        } else if testCase != nil, systemOutProbe == nil, name.is("system-out") {
            systemOutProbe = (BoundedText(limit: Limits.systemOutProbeBytes), depth)
        }
        reader.wantsText = wantsText(atDepth: depth)
    }

    func endElement(_ name: XMLName, reader: XMLStreamReader) throws {
        let depth = reader.depth
        if let open = outcome {
            if depth == open.depth {
                finishOutcome()
            } else if depth == open.textDepth {
                outcome?.textDepth = open.depth
            }
        } else if let probe = systemOutProbe, probe.depth == depth {
            if probe.text.string.hasPrefix("All checks passed for:") { document.evidence.pylint = true }
            systemOutProbe = nil
        } else if let open = testCase, open.depth == depth {
            document.testCases.append(open.value)
            testCase = nil
        } else if name.is("testsuite") {
            _ = suiteNames.popLast()
        }
        reader.wantsText = wantsText(atDepth: depth - 1)
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>, reader: XMLStreamReader) {
        if outcome != nil {
            outcome?.text.append(text)
            outcome?.mypyLines?.append(text) { line in
                if let message = MypyLine(bytes: line) { testCase?.value.mypyLines.append(message) }
            }
        } else {
            systemOutProbe?.text.append(text)
        }
    }

    private func wantsText(atDepth depth: Int) -> Bool {
        if let outcome { return outcome.textDepth == depth }
        return systemOutProbe?.depth == depth
    }

    // MARK: Elements

    private func checkRoot(_ name: XMLName, attributes: XMLAttributes, reader: XMLStreamReader) throws {
        // Any other root (Eclipse's `<testrun>`, a home-made `<tests>`) is refused, also under
        // `--as junit`: elements this reader does not know would count as "0 tests".
        guard name.is("testsuites") || name.is("testsuite") else {
            throw invalid(
                reader, "the root element is <\(name.string)>, not <testsuites> or <testsuite>, so this is not a JUnit XML report")
        }
        if name.is("testsuites"), attributes["name"]?.hasPrefix("pytest") == true { document.evidence.pytest = true }
    }

    private func startSuite(_ attributes: XMLAttributes, reader: XMLStreamReader) throws {
        if testCase != nil { throw invalid(reader, "a <testsuite> inside a <testcase>") }
        let name = attributes["name"] ?? ""
        suiteNames.append(name)
        if let flakes = attributes.integer("flakes"), flakes > 0 {
            document.declaredFlakes = (document.declaredFlakes ?? 0) + Int(clamping: flakes)
        }
        switch name {
        case "mypy":
            document.evidence.mypy = true
            if (attributes.integer("errors") ?? 0) > 0 { document.evidence.mypyBlockingError = true }
        case "pytest":
            document.evidence.pytest = true
        case "flake8":
            document.evidence.flake8 = true
        default:
            if name.hasPrefix("flake8.") { document.evidence.flake8 = true }
        }
    }

    private func startTestCase(_ attributes: XMLAttributes, depth: Int, reader: XMLStreamReader) throws {
        if testCase != nil { throw invalid(reader, "a <testcase> inside another <testcase>") }
        guard let name = attributes["name"] else { throw invalid(reader, "a <testcase> without a name attribute") }
        let className = attributes["classname"]
        let value = JUnitTestCase(
            suite: suiteNames.last ?? "", name: name, className: className,
            file: nonEmpty(attributes["file"]),
            line: try integer(attributes, "line", on: "testcase", reader: reader),
            duration: try duration(attributes, reader: reader),
            category: nonEmpty(attributes["class"]))
        noteEvidence(from: value)
        let looksLikeMypy = className == "mypy" || value.suite == "mypy"
        testCase = OpenTestCase(value: value, depth: depth, readsMypyLines: forcedDialect.map { $0 == .mypy } ?? looksLikeMypy)
    }

    private func startOutcome(
        _ kind: JUnitOutcomeKind, _ attributes: XMLAttributes, depth: Int,
        reader: XMLStreamReader
    ) throws {
        guard let open = testCase else { throw invalid(reader, "a <\(kind.rawValue)> outside any <testcase>") }
        let type = attributes["type"]
        if type?.hasPrefix("pytest.") == true { document.evidence.pytest = true }
        if type?.hasPrefix("flake8 ") == true { document.evidence.flake8 = true }
        if kind == .error, open.readsMypyLines { document.evidence.mypyBlockingError = true }
        let value = JUnitOutcome(
            kind: kind, message: attributes["message"], type: type, file: nonEmpty(attributes["file"]),
            line: try integer(attributes, "line", on: kind.rawValue, reader: reader),
            column: try integer(attributes, "col", on: kind.rawValue, reader: reader),
            text: "")
        outcome = OpenOutcome(
            value: value, text: BoundedText(limit: Limits.detailsBytes),
            mypyLines: open.readsMypyLines ? LineSplitter(maxLineLength: Limits.mypyLineBytes) : nil,
            depth: depth, textDepth: depth)
    }

    private func finishOutcome() {
        guard var open = outcome else { return }
        open.mypyLines?.finish { line in
            if let message = MypyLine(bytes: line) { testCase?.value.mypyLines.append(message) }
        }
        open.value.text = open.text.string
        testCase?.value.outcomes.append(open.value)
        outcome = nil
    }

    private func noteEvidence(from testCase: JUnitTestCase) {
        if testCase.className == "mypy" { document.evidence.mypy = true }
        if testCase.className == "pylint" { document.evidence.pylint = true }
        if PylintTestName(testCase.name) != nil { document.evidence.pylintTestNames = true }
        if testCase.className == nil, let (code, _) = LintText.leadingCode(Substring(testCase.name)),
            testCase.name.hasPrefix(code + ", ")
        {
            document.evidence.flake8 = true
        }
    }

    // MARK: Attribute values

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, value.utf8.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return nil }
        return value
    }

    private func integer(
        _ attributes: XMLAttributes, _ name: StaticString, on element: String,
        reader: XMLStreamReader
    ) throws -> Int? {
        guard let raw = nonEmpty(attributes[name]) else { return nil }
        guard let value = attributes.integer(name), value <= Int64(Int32.max) else {
            throw invalid(reader, "<\(element)> has \(name)=\"\(raw)\", which is not a line or column number")
        }
        return Int(value)
    }

    /// `time` in seconds; some producers group thousands (`1,234.5`).
    private func duration(_ attributes: XMLAttributes, reader: XMLStreamReader) throws -> Double? {
        guard let raw = nonEmpty(attributes["time"]) else { return nil }
        // The plain spelling first: this runs for every testcase.
        let seconds = Double(raw) ?? Double(raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ""))
        guard let seconds, seconds.isFinite, seconds >= 0 else {
            throw invalid(reader, "<testcase> has time=\"\(raw)\", which is not a number of seconds")
        }
        return seconds
    }

    private func invalid(_ reader: XMLStreamReader, _ reason: String) -> IngestError {
        IngestError.invalid(file: displayPath, at: "\(reader.line):\(reader.column)", reason: reason)
    }
}
