import Foundation
import QGateCore
import Testing

/// The Cobertura parser on the project's own coverage.py fixtures and on small inline documents
/// that are odd on purpose (the real reports from other producers are covered by RealReportTests).
struct CoberturaParserTests {
    // MARK: - Helpers

    static func parse(_ xml: String, name: String = "coverage.xml", context: ParseContext = ParseContext()) throws -> ParsedReport {
        try CoberturaParser().parse(try TestPaths.temporaryReport(name, xml), context: context)
    }

    static func document(sources: [String] = [], _ classes: String, root: String = "") -> String {
        """
        <?xml version="1.0" ?>
        <coverage version="7.12.0"\(root)>
        \t<sources>\(sources.map { "<source>\($0)</source>" }.joined())</sources>
        \t<packages><package name="."><classes>
        \(classes)
        \t</classes></package></packages>
        </coverage>
        """
    }

    static func file(_ report: ParsedReport, _ path: String) throws -> FileCoverage {
        try #require(report.coverage?.first { $0.path == path }, "no coverage for \(path)")
    }

    static func invalidPosition(_ error: IngestError?) -> String? {
        guard case .invalid(_, let at, _)? = error else { return nil }
        return at
    }

    // MARK: - The project's fixtures (coverage.py 7.17.5 with --cov-branch)

    @Test func mainFixtureResolvesItsSourceRootInsideTheSampleCheckout() throws {
        let root = TestPaths.fixtures.appendingPathComponent("sample/main")
        let context = ParseContext(paths: PathNormalizer(repositoryRoot: root))
        let report = try CoberturaParser().parse(TestPaths.fixture("reports/main/coverage.xml"), context: context)

        #expect(report.format == .cobertura)
        #expect(report.tool == "cobertura")
        #expect(report.coverage?.map(\.path) == ["pkg/__init__.py", "pkg/pricing.py", "pkg/runner.py", "pkg/store.py"])
        let pricing = try Self.file(report, "pkg/pricing.py")
        #expect(pricing.coveredLines == [2, 3, 4, 7, 10, 12, 13, 14, 17, 19, 22, 24, 27, 29, 32, 34, 37, 48, 53])
        #expect(pricing.uncoveredLines == [38, 39, 40, 42, 43, 44, 45, 50, 55])
        #expect(pricing.branchesValid == 6)
        #expect(pricing.branchesCovered == 2)
        let store = try Self.file(report, "pkg/store.py")
        #expect(store.uncoveredLines == [27, 28, 29, 30])
        let totals = CoverageTotals(try #require(report.coverage))
        #expect((totals.linesValid, totals.linesCovered) == (65, 48))
        // Every path resolves and the root's totals agree: nothing to say.
        #expect(report.diagnostics.isEmpty)
    }

    @Test func prFixtureWithoutARepositoryRootKeepsTheFilenamesAsWritten() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/pr/coverage.xml"))

        #expect(report.coverage?.map(\.path) == ["__init__.py", "pricing.py", "runner.py", "store.py"])
        let pricing = try Self.file(report, "pricing.py")
        #expect(pricing.uncoveredLines == [13, 16, 17, 50, 51, 52, 54, 55, 56, 57, 62, 67])
        #expect(pricing.coveredLines.count == 25)
        #expect((pricing.branchesValid, pricing.branchesCovered) == (10, 4))
        let runner = try Self.file(report, "runner.py")
        #expect(runner.uncoveredLines == [7, 10, 23, 24])
        let totals = CoverageTotals(try #require(report.coverage))
        #expect((totals.linesValid, totals.linesCovered, totals.branchesValid, totals.branchesCovered) == (74, 54, 10, 4))
        #expect(report.diagnostics.isEmpty)
    }

    // MARK: - Merging

    @Test func classesSharingAFilenameMergeWithTheHighestHits() throws {
        let report = try Self.parse(
            Self.document(
                """
                <class name="Outer" filename="src/Outer.java"><lines>
                  <line number="5" hits="0"/><line number="7" hits="0"/><line number="9" hits="2"/>
                </lines></class>
                <class name="Outer$Inner" filename="src/Outer.java"><lines>
                  <line number="3" hits="1"/><line number="5" hits="4"/><line number="7" hits="0"/>
                </lines></class>
                <class name="Other" filename="./src\\Outer.java"><lines><line number="1" hits="0"/></lines></class>
                """))

        let outer = try Self.file(report, "src/Outer.java")
        #expect(report.coverage?.count == 1)
        #expect(outer.coveredLines == [3, 5, 9])
        #expect(outer.uncoveredLines == [1, 7])
    }

    @Test func aFileSplitOverClassesInAscendingOrderKeepsEveryLine() throws {
        let report = try Self.parse(
            Self.document(
                """
                <class name="part1" filename="big.py"><lines>
                  <line number="1" hits="1"/><line number="2" hits="0" branch="true" condition-coverage="0% (0/2)"/>
                </lines></class>
                <class name="part2" filename="big.py"><lines>
                  <line number="3" hits="0"/><line number="4" hits="5" branch="true" condition-coverage="50% (1/2)"/>
                </lines></class>
                """))

        #expect(
            report.coverage == [
                FileCoverage(
                    path: "big.py", coveredLines: [1, 4], uncoveredLines: [2, 3],
                    branchesValid: 4, branchesCovered: 1)
            ])
    }

    @Test func methodLinesAreNotCountedAgain() throws {
        let report = try Self.parse(
            Self.document(
                """
                <class name="Main" filename="Main.java">
                  <methods><method name="main" signature="()V"><lines>
                    <line number="10" hits="3"/><line number="11" hits="0"/><line number="99" hits="1"/>
                  </lines></method></methods>
                  <lines><line number="10" hits="3"/><line number="11" hits="0"/></lines>
                </class>
                """))

        let main = try Self.file(report, "Main.java")
        #expect(main.coveredLines == [10])
        #expect(main.uncoveredLines == [11])
    }

    @Test func aClassWithoutLinesStillNamesItsFile() throws {
        let report = try Self.parse(
            Self.document(
                """
                <class name="__init__.py" filename="pkg/__init__.py"><methods/><lines/></class>
                """))

        #expect(report.coverage == [FileCoverage(path: "pkg/__init__.py", coveredLines: [], uncoveredLines: [])])
    }

    @Test func hitCountsBeyondThirtyTwoBitsAreCovered() throws {
        let report = try Self.parse(
            Self.document(
                """
                <class name="a" filename="a.c"><lines><line number="1" hits="98765432109876"/></lines></class>
                """))

        #expect(try Self.file(report, "a.c").coveredLines == [1])
    }

    // MARK: - Branches

    @Test func branchesComeFromConditionCoverageAndADuplicatedLineKeepsTheBestCopy() throws {
        let report = try Self.parse(
            Self.document(
                """
                <class name="a" filename="a.py"><lines>
                  <line number="4" hits="1" branch="true" condition-coverage="50% (1/2)"/>
                  <line number="8" hits="1" branch="true" condition-coverage="33.33% (1/3)">
                    <conditions><condition number="0" type="jump" coverage="100%"/></conditions>
                  </line>
                  <line number="9" hits="1" condition-coverage="50% (1/2)"/>
                </lines></class>
                <class name="b" filename="a.py"><lines>
                  <line number="4" hits="1" branch="True" condition-coverage="100% (2/2)"/>
                  <line number="8" hits="1" branch="true" condition-coverage="0% (0/3)"/>
                </lines></class>
                """))

        // line 4: 2/2 beats 1/2; line 8: 1/3 beats 0/3 and its <condition> is ignored; line 9 has no branch="true".
        let file = try Self.file(report, "a.py")
        #expect((file.branchesValid, file.branchesCovered) == (5, 3))
    }

    @Test func conditionsAreTheFallbackWhenConditionCoverageIsAbsent() throws {
        let report = try Self.parse(
            Self.document(
                """
                <class name="a" filename="a.cpp"><lines>
                  <line number="5" hits="2" branch="true"><conditions>
                    <condition number="0" type="jump" coverage="50%"/>
                    <condition number="1" type="jump" coverage="100%"/>
                  </conditions></line>
                </lines></class>
                """))

        // DECISION (RealReportExpectations.swift): each <condition> is 2 branches, covered = coverage% × 2.
        let file = try Self.file(report, "a.cpp")
        #expect((file.branchesValid, file.branchesCovered) == (4, 3))
    }

    @Test(arguments: [
        ("50% (1/2)", ConditionCoverage?.some(ConditionCoverage(covered: 1, valid: 2))),
        ("  33.33%(1/3)", ConditionCoverage(covered: 1, valid: 3)),
        ("100% (12/12) extra", ConditionCoverage(covered: 12, valid: 12)),
        ("50%", nil),
        ("50% (3/2)", nil),
        ("(1/2)", nil),
        ("50% (1/99999999999)", nil),
    ])
    func conditionCoverageText(_ text: String, _ expected: ConditionCoverage?) {
        #expect(ConditionCoverage(text) == expected)
    }

    // MARK: - Variants

    @Test func byteOrderMarkAndWhitespaceAroundTheSourceAreAccepted() throws {
        let repository = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: repository) }
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("SampleApp"), withIntermediateDirectories: true)
        try Data().write(to: repository.appendingPathComponent("SampleApp/Sample.cs"))
        let xml =
            "\u{FEFF}"
            + Self.document(
                sources: ["--source", "\n      \(repository.path)/SampleApp \n    "],
                """
                <class name="SampleApp.Sample" filename="Sample.cs"><lines><line number="11" hits="2" branch="false"/></lines></class>
                """)
        let context = ParseContext(paths: PathNormalizer(repositoryRoot: repository))

        let report = try Self.parse(xml, context: context)

        #expect(report.coverage?.map(\.path) == ["SampleApp/Sample.cs"])
        #expect(report.diagnostics.isEmpty)
    }

    @Test func theFirstSourceRootUnderWhichTheFileExistsWins() throws {
        let repository = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: repository) }
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("src/app"), withIntermediateDirectories: true)
        try Data().write(to: repository.appendingPathComponent("src/app/x.py"))
        try Data().write(to: repository.appendingPathComponent("src/app/y.py"))
        let context = ParseContext(paths: PathNormalizer(repositoryRoot: repository))
        let xml = Self.document(
            sources: ["--source", "", "   ", "C:/elsewhere/lib", "/home/ci/build/proj/src"],
            """
            <class name="x" filename="app\\x.py"><lines><line number="1" hits="1"/></lines></class>
            <class name="y" filename="\(repository.path)/src/app/y.py"><lines><line number="1" hits="1"/></lines></class>
            """)

        let report = try Self.parse(xml, context: context)

        // "/home/ci/build/proj/src" does not exist here; its tail "src" does.
        #expect(report.coverage?.map(\.path) == ["src/app/x.py", "src/app/y.py"])
        #expect(report.diagnostics.isEmpty)
    }

    @Test func aReportWhosePathsMostlyDoNotResolveSaysSo() throws {
        let repository = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: repository) }
        try Data().write(to: repository.appendingPathComponent("here.py"))
        let context = ParseContext(paths: PathNormalizer(repositoryRoot: repository))
        let xml = Self.document(
            sources: ["/home/runner/work/other/other"],
            """
            <class name="a" filename="here.py"><lines><line number="1" hits="1"/></lines></class>
            <class name="b" filename="gone/one.py"><lines><line number="1" hits="1"/></lines></class>
            <class name="c" filename="gone/two.py"><lines><line number="1" hits="1"/></lines></class>
            """)

        let report = try Self.parse(xml, context: context)

        // Unresolved files keep the filename as written, without the CI root.
        #expect(report.coverage?.map(\.path) == ["gone/one.py", "gone/two.py", "here.py"])
        let warning = try #require(report.diagnostics.first)
        #expect(warning.level == .warning)
        #expect(warning.message.hasPrefix("2 of 3 files in this coverage report do not exist under"))
    }

    @Test func declaredTotalsThatDisagreeAreANoteNotAnError() throws {
        let xml = Self.document(
            """
            <class name="a" filename="a.py"><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></class>
            """, root: #" lines-valid="3" lines-covered="1""#)

        let report = try Self.parse(xml)

        #expect(
            report.diagnostics == [
                Diagnostic(
                    .note, file: "coverage.xml",
                    "the report claims lines-valid=3 lines-covered=1, but its <line> elements give 2 valid and 1 covered lines; qgate uses the counted values"
                )
            ])
    }

    @Test func aDocumentWithNoClassesIsCoverageOfNoFiles() throws {
        let report = try Self.parse(#"<coverage version="1.9"><packages/></coverage>"#)

        #expect(report.coverage == [])
    }

    // MARK: - Errors

    @Test func aRootOtherThanCoverageIsRejected() throws {
        let error = #expect(throws: IngestError.self) {
            try Self.parse("<?xml version=\"1.0\"?>\n<testsuites><testsuite/></testsuites>\n")
        }
        #expect(
            error
                == .invalid(
                    file: "coverage.xml", at: "2:12",
                    reason: "the root element is <testsuites>, not <coverage>; this is not a Cobertura report"))
    }

    @Test(arguments: [
        ("0", "4:26"),
        ("-3", "4:27"),
        ("4294967296", "4:35"),
        ("x", "4:26"),
    ])
    func lineNumbersOutsideOneToUInt32MaxAreRejectedWithTheirPosition(_ number: String, _ position: String) throws {
        let xml =
            "<coverage>\n<packages><package><classes>\n<class filename=\"a.py\"><lines>\n<line number=\"\(number)\" hits=\"1\"/>\n</lines></class></classes></package></packages></coverage>\n"
        let error = #expect(throws: IngestError.self) { try Self.parse(xml) }
        #expect(
            error
                == .invalid(
                    file: "coverage.xml", at: position,
                    reason: "line number \"\(number)\" is not a whole number between 1 and 4294967295"))
    }

    @Test(arguments: [
        (#"<line hits="1"/>"#, "a <line> has no number attribute"),
        (#"<line number="3"/>"#, #"<line number="3"> needs a hits count of zero or more, found nothing"#),
        (#"<line number="3" hits="many"/>"#, #"<line number="3"> needs a hits count of zero or more, found "many""#),
        (
            #"<line number="3" hits="1" branch="true" condition-coverage="half"/>"#,
            #"condition-coverage="half" of line 3 is not of the form "50% (1/2)""#
        ),
    ])
    func malformedLinesAreRejected(_ line: String, _ reason: String) throws {
        let xml =
            "<coverage><packages><package><classes><class filename=\"a.py\"><lines>\n\(line)\n</lines></class></classes></package></packages></coverage>"
        let error = #expect(throws: IngestError.self) { try Self.parse(xml) }
        #expect(error == .invalid(file: "coverage.xml", at: "2:\(line.utf8.count - 1)", reason: reason))
    }

    @Test func aConditionWithoutAPercentageIsRejected() throws {
        let xml =
            "<coverage><packages><package><classes><class filename=\"a.py\"><lines>\n<line number=\"5\" hits=\"1\" branch=\"true\"><conditions>\n<condition number=\"0\" coverage=\"lots\"/>\n</conditions></line></lines></class></classes></package></packages></coverage>"
        let error = #expect(throws: IngestError.self) { try Self.parse(xml) }
        #expect(
            error
                == .invalid(
                    file: "coverage.xml", at: "3:38",
                    reason: #"a <condition> of line 5 needs a coverage percentage, found "lots""#))
    }

    @Test func aClassWithoutAFilenameIsRejected() throws {
        let error = #expect(throws: IngestError.self) {
            try Self.parse("<coverage><packages>\n  <class name=\"a\"><lines/></class>\n</packages></coverage>")
        }
        #expect(error == .invalid(file: "coverage.xml", at: "2:18", reason: "a <class> has no filename attribute"))
    }

    @Test func aTruncatedReportIsMalformedWithItsPosition() throws {
        let truncated = """
            <?xml version="1.0" ?>
            <coverage version="7.12.0">
            \t<packages><package name="."><classes>
            \t\t<class name="a" filename="a.py"><lines>
            \t\t\t<line number="1" hits="1"/>
            \t\t\t<line numb
            """

        let error = #expect(throws: IngestError.self) { try Self.parse(truncated) }

        guard case .malformed(let file, let line, let column, _)? = error else {
            Issue.record("expected a malformed-report error, got \(String(describing: error))")
            return
        }
        #expect((file, line, column) == ("coverage.xml", 6, 14))
    }

    // MARK: - Scale

    /// `QGATE_BIG_COBERTURA=/tmp/big/cobertura.xml swift test -c release --filter bigReport`, with the file
    /// made by `tools/gen-bigdata.py /tmp/big --only cobertura`; its manifest.json holds the expected counts.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["QGATE_BIG_COBERTURA"] != nil,
            "set QGATE_BIG_COBERTURA to a generated cobertura.xml to run"))
    func bigReportMatchesTheGeneratorsCounts() throws {
        let path = try #require(ProcessInfo.processInfo.environment["QGATE_BIG_COBERTURA"])
        let manifestURL = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("manifest.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let manifest = try decoder.decode(BigDataManifest.self, from: Data(contentsOf: manifestURL))
        let expected = try #require(manifest.files["cobertura.xml"]?.counts)

        let started = Date()
        let report = try CoberturaParser().parse(ReportSource(path: path), context: ParseContext())
        let seconds = Date().timeIntervalSince(started)

        let files = try #require(report.coverage)
        let totals = CoverageTotals(files)
        #expect(files.count == expected.files)
        #expect(files.filter { $0.linesValid > 0 }.count == expected.filesWithLines)
        #expect(totals.linesValid == expected.linesValid)
        #expect(totals.linesCovered == expected.linesCovered)
        #expect(totals.branchesValid == expected.branchesValid)
        #expect(totals.branchesCovered == expected.branchesCovered)
        let megabytes = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_000_000
        print("cobertura: \(Int(megabytes)) MB in \(String(format: "%.2f", seconds)) s = \(Int(megabytes / seconds)) MB/s")
    }

    struct BigDataManifest: Decodable {
        struct Entry: Decodable {
            struct Counts: Decodable {
                var files: Int, filesWithLines: Int, linesValid: Int, linesCovered: Int, branchesValid: Int, branchesCovered: Int
            }
            var counts: Counts
        }
        var files: [String: Entry]
    }
}
