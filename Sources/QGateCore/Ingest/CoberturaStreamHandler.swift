import Foundation

/// Receives a Cobertura document from ``XMLStreamReader`` and keeps only what qgate needs: the
/// `<source>` roots, the root's declared totals, and per class `filename` the lines of
/// `class/lines/line`.
///
/// Why a hand-written state machine: a report can hold millions of `<line>` elements, so the
/// hot path compares element names in place and reads numbers straight from the attribute
/// bytes, allocating nothing per line. `<method>` line lists repeat the class's lines and are
/// skipped wholesale.
final class CoberturaStreamHandler: XMLStreamHandler {
    /// The totals the root element claims, compared with the recomputed ones as a sanity check.
    struct DeclaredTotals {
        var linesValid: Int64?
        var linesCovered: Int64?
    }

    private let displayPath: String
    /// Trimmed `<source>` texts, in document order, without empty entries and `--source`.
    private(set) var sources: [String] = []
    /// The lines of each class `filename`, as written in the report.
    private var lineSets: [String: CoberturaLineSet] = [:]
    private(set) var declared = DeclaredTotals()

    // Touched for every `<line>`: no dynamic exclusivity check (one thread drives the handler).

    /// Depth inside `<methods>`/`<method>`; everything there is ignored.
    @exclusivity(unchecked) private var ignoredDepth = 0
    /// The `filename` of the `<class>` being read, and its lines so far.
    private var currentFilename: String?
    @exclusivity(unchecked) private var currentLines = CoberturaLineSet()
    @exclusivity(unchecked) private var inClassLines = false
    private var inSources = false
    private var sourceText: [UInt8] = []
    @exclusivity(unchecked) private var pendingLine: PendingLine?

    /// A `<line>` between its start and end tags, waiting for its `<condition>` children.
    private struct PendingLine {
        var number: UInt32
        var hit: Bool
        var branch: CoberturaLineSet.BranchLine?
        /// True when `branch="true"` without `condition-coverage`: `<condition>`s decide.
        var countsConditions: Bool
    }

    init(displayPath: String) {
        self.displayPath = displayPath
    }

    func startElement(_ name: XMLName, attributes: XMLAttributes, reader: XMLStreamReader) throws {
        if ignoredDepth > 0 {
            ignoredDepth += 1
        } else if inClassLines {
            if name.is("line") {
                pendingLine = try readLine(attributes, reader: reader)
            } else if name.is("condition") {
                try addCondition(attributes, reader: reader)
            }
        } else if reader.depth == 1 {
            try readRoot(name, attributes, reader: reader)
        } else if name.is("methods") || name.is("method") {
            ignoredDepth = 1
        } else if name.is("class") {
            try startClass(attributes, reader: reader)
        } else if name.is("lines") {
            inClassLines = currentFilename != nil
        } else if name.is("sources") {
            inSources = true
        } else if inSources && name.is("source") {
            sourceText.removeAll(keepingCapacity: true)
            reader.wantsText = true
        }
    }

    func endElement(_ name: XMLName, reader: XMLStreamReader) throws {
        if ignoredDepth > 0 {
            ignoredDepth -= 1
        } else if inClassLines {
            if name.is("line") {
                commitPendingLine()
            } else if name.is("lines") {
                inClassLines = false
            }
        } else if name.is("class") {
            endClass()
        } else if inSources && name.is("source") {
            reader.wantsText = false
            addSource()
        } else if name.is("sources") {
            inSources = false
        }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>, reader: XMLStreamReader) {
        sourceText.append(contentsOf: text)
    }

    /// The lines of each class `filename` as written in the report; the handler keeps none.
    func takeLineSets() -> [String: CoberturaLineSet] {
        defer { lineSets = [:] }
        return lineSets
    }

    // MARK: - Elements

    private func readRoot(_ name: XMLName, _ attributes: XMLAttributes, reader: XMLStreamReader) throws {
        guard name.is("coverage") else {
            throw invalid(reader, "the root element is <\(name.string)>, not <coverage>; this is not a Cobertura report")
        }
        declared = DeclaredTotals(
            linesValid: attributes.integer("lines-valid"),
            linesCovered: attributes.integer("lines-covered"))
    }

    private func startClass(_ attributes: XMLAttributes, reader: XMLStreamReader) throws {
        guard let filename = attributes["filename"], !filename.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw invalid(reader, "a <class> has no filename attribute")
        }
        currentFilename = filename
    }

    private func endClass() {
        guard let filename = currentFilename else { return }
        lineSets[filename, default: CoberturaLineSet()].absorb(&currentLines)
        currentFilename = nil
    }

    private func readLine(_ attributes: XMLAttributes, reader: XMLStreamReader) throws -> PendingLine {
        // One pass over the attributes (millions of lines); the first of each name counts.
        var numberValue: UnsafeBufferPointer<UInt8>?, hitsValue: UnsafeBufferPointer<UInt8>?
        var branchValue: UnsafeBufferPointer<UInt8>?, conditionValue: UnsafeBufferPointer<UInt8>?
        attributes.forEach { name, value in
            if numberValue == nil, name.is("number") {
                numberValue = value
            } else if hitsValue == nil, name.is("hits") {
                hitsValue = value
            } else if branchValue == nil, name.is("branch") {
                branchValue = value
            } else if conditionValue == nil, name.is("condition-coverage") {
                conditionValue = value
            }
        }
        let number = try lineNumber(numberValue.flatMap(XMLAttributes.integer(in:)), attributes, reader: reader)
        guard let hits = hitsValue.flatMap(XMLAttributes.integer(in:)) else {
            let found = attributes["hits"].map { "\"\($0)\"" } ?? "nothing"
            throw invalid(reader, "<line number=\"\(number)\"> needs a hits count of zero or more, found \(found)")
        }
        var pending = PendingLine(number: number, hit: hits > 0, branch: nil, countsConditions: false)
        guard branchValue.map(XMLAttributes.flag(in:)) ?? false else { return pending }
        if let text = conditionValue.map({ String(decoding: $0, as: UTF8.self) }) {
            guard let counts = ConditionCoverage(text) else {
                throw invalid(reader, "condition-coverage=\"\(text)\" of line \(number) is not of the form \"50% (1/2)\"")
            }
            pending.branch = .init(line: number, covered: counts.covered, valid: counts.valid)
        } else {
            pending.countsConditions = true
        }
        return pending
    }

    private func lineNumber(_ value: Int64?, _ attributes: XMLAttributes, reader: XMLStreamReader) throws -> UInt32 {
        if let number = value, number > 0, number <= Int64(UInt32.max) {
            return UInt32(number)
        }
        guard let text = attributes["number"] else {
            throw invalid(reader, "a <line> has no number attribute")
        }
        throw invalid(reader, "line number \"\(text)\" is not a whole number between 1 and \(UInt32.max)")
    }

    /// The fallback when `condition-coverage` is absent: each `<condition>` is a two-way
    /// branch, covered in proportion to its `coverage` percentage (project decision).
    private func addCondition(_ attributes: XMLAttributes, reader: XMLStreamReader) throws {
        guard var pending = pendingLine, pending.countsConditions else { return }
        guard let text = attributes["coverage"], let percent = ConditionCoverage.percent(text), percent <= 100 else {
            let found = attributes["coverage"].map { "\"\($0)\"" } ?? "nothing"
            throw invalid(reader, "a <condition> of line \(pending.number) needs a coverage percentage, found \(found)")
        }
        var branch = pending.branch ?? .init(line: pending.number, covered: 0, valid: 0)
        branch.valid += 2
        branch.covered += UInt32((percent * 2 / 100).rounded())
        pending.branch = branch
        pendingLine = pending
    }

    private func commitPendingLine() {
        guard let pending = pendingLine else { return }
        currentLines.add(line: pending.number, hit: pending.hit)
        if let branch = pending.branch {
            currentLines.add(branch)
        }
        pendingLine = nil
    }

    private func addSource() {
        let text = String(decoding: sourceText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty && text != "--source" {
            sources.append(text)
        }
    }

    private func invalid(_ reader: XMLStreamReader, _ reason: String) -> IngestError {
        .invalid(file: displayPath, at: "\(reader.line):\(reader.column)", reason: reason)
    }
}

/// A `condition-coverage` value such as `50% (1/2)`: covered and total branches of a line.
/// Only the `(a/b)` part counts; the percentage is rounded by the tool and says less.
/// Public so that the accepted spellings can be tested one by one.
public struct ConditionCoverage: Equatable, Sendable {
    public var covered: UInt32
    public var valid: UInt32

    public init(covered: UInt32, valid: UInt32) {
        self.covered = covered
        self.valid = valid
    }

    /// Parses `^\s*\d+(\.\d+)?%\s*\(\d+/\d+\)`; nil when the text does not match or covered > total.
    public init?(_ text: String) {
        var scanner = ByteScanner(text.utf8)
        scanner.skipSpaces()
        guard scanner.number() != nil else { return nil }
        if scanner.take(UInt8(ascii: ".")) {
            guard scanner.number() != nil else { return nil }
        }
        guard scanner.take(UInt8(ascii: "%")) else { return nil }
        scanner.skipSpaces()
        guard scanner.take(UInt8(ascii: "(")), let covered = scanner.number(),
            scanner.take(UInt8(ascii: "/")), let valid = scanner.number(),
            scanner.take(UInt8(ascii: ")")), covered <= valid
        else { return nil }
        self.covered = covered
        self.valid = valid
    }

    /// A `<condition coverage="50%">` percentage.
    static func percent(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("%") else { return nil }
        return Double(trimmed.dropLast()).flatMap { $0 >= 0 ? $0 : nil }
    }
}

/// Reads ASCII tokens from UTF-8 bytes without building substrings.
private struct ByteScanner {
    private let bytes: String.UTF8View
    private var index: String.UTF8View.Index

    init(_ bytes: String.UTF8View) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    mutating func skipSpaces() {
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            bytes.formIndex(after: &index)
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.endIndex, bytes[index] == byte else { return false }
        bytes.formIndex(after: &index)
        return true
    }

    /// An unsigned decimal number that fits in `UInt32`.
    mutating func number() -> UInt32? {
        var value: UInt32 = 0
        var sawDigit = false
        while index < bytes.endIndex, case let byte = bytes[index], byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt32(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = added
            sawDigit = true
            bytes.formIndex(after: &index)
        }
        return sawDigit ? value : nil
    }
}
