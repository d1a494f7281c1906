import Foundation
import Testing

@testable import QGateCore

struct UnifiedDiffTests {
    @Test func theFixturePullRequestDiffGivesTheNewSideLines() throws {
        let diff = try UnifiedDiff.load(path: TestPaths.fixtures.appendingPathComponent("sample/pr.diff").path)
        #expect(diff.paths == ["pkg/pricing.py", "pkg/store.py", "requirements.txt", "tests/test_pricing.py"])
        #expect(diff.changedLines["pkg/pricing.py"] == Array(10...21) + [41])
        #expect(diff.changedLines["pkg/store.py"] == [2, 7])
        #expect(diff.changedLines["requirements.txt"] == [3])
        #expect(diff.changedLines["tests/test_pricing.py"] == [27, 28, 29, 30])
        #expect(diff.changedLines["pkg/runner.py"] == nil, "a pure deletion changes no new-side line")
    }

    /// fixtures/README.md: patch coverage of the pr state is 9/12 = 75 %, uncovered
    /// pkg/pricing.py:13, 16, 17. The coverage here is the README's list of measured lines;
    /// once the Cobertura parser lands, the same numbers should come from reports/pr/coverage.xml.
    @Test func theFixturePatchCoverageIsSeventyFivePercent() throws {
        let diff = try UnifiedDiff.load(path: TestPaths.fixtures.appendingPathComponent("sample/pr.diff").path)
        let coverage = [
            FileCoverage(path: "pkg/pricing.py", coveredLines: [1, 2, 10, 12, 14, 15, 18, 19, 22, 41], uncoveredLines: [13, 16, 17, 60]),
            FileCoverage(path: "pkg/store.py", coveredLines: [1, 2, 3, 7], uncoveredLines: [30]),
            FileCoverage(path: "pkg/runner.py", coveredLines: [1, 2], uncoveredLines: []),
        ]
        let patch = try #require(MetricCalculator.patchCoverage(diff: diff, coverage: coverage, filter: MetricFilter()))
        #expect(patch.linesValid == 12)
        #expect(patch.linesCovered == 9)
        #expect(patch.percent == 75)
        #expect(patch.files.map(\.path) == ["pkg/pricing.py", "pkg/store.py"])
        #expect(patch.files.first?.uncoveredChangedLines == [13, 16, 17])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var expected: [String: [Int]]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "new file",
            text: """
                diff --git a/src/new.py b/src/new.py
                new file mode 100644
                index 0000000..1111111
                --- /dev/null
                +++ b/src/new.py
                @@ -0,0 +1,2 @@
                +a = 1
                +b = 2
                """, expected: ["src/new.py": [1, 2]]),
        Case(
            name: "deleted file",
            text: """
                diff --git a/src/old.py b/src/old.py
                deleted file mode 100644
                --- a/src/old.py
                +++ /dev/null
                @@ -1,2 +0,0 @@
                -a = 1
                -b = 2
                """, expected: [:]),
        Case(
            name: "rename with a change",
            text: """
                diff --git a/src/a.py b/src/b.py
                similarity index 90%
                rename from src/a.py
                rename to src/b.py
                --- a/src/a.py
                +++ b/src/b.py
                @@ -3 +3 @@ def f():
                -    return 1
                +    return 2
                """, expected: ["src/b.py": [3]]),
        Case(
            name: "pure rename and a binary file",
            text: """
                diff --git a/x.py b/y.py
                similarity index 100%
                rename from x.py
                rename to y.py
                diff --git a/logo.png b/logo.png
                index 1..2 100644
                Binary files a/logo.png and b/logo.png differ
                """, expected: [:]),
        Case(
            name: "no newline at end of file",
            text: """
                --- a/f.py
                +++ b/f.py
                @@ -1,2 +1,2 @@
                 keep
                -old
                \\ No newline at end of file
                +new
                \\ No newline at end of file
                """, expected: ["f.py": [2]]),
        Case(
            name: "diff -u with timestamps and no prefixes",
            text: """
                --- main/pkg/f.py\t2026-11-27 10:00:00.000000000 +0000
                +++ pr/pkg/f.py\t2026-11-27 10:05:00.000000000 +0000
                @@ -1,3 +1,4 @@
                 a
                +b
                 c
                 d
                """, expected: ["pr/pkg/f.py": [2]]),
        Case(
            name: "added lines that look like headers",
            text: """
                --- a/notes.md
                +++ b/notes.md
                @@ -1,1 +1,3 @@
                 title
                +++ not a header
                +--- nor this
                """, expected: ["notes.md": [2, 3]]),
        Case(
            name: "quoted path with UTF-8 octal escapes",
            text: """
                diff --git "a/caf\\303\\251 x.py" "b/caf\\303\\251 x.py"
                --- "a/caf\\303\\251 x.py"
                +++ "b/caf\\303\\251 x.py"
                @@ -1,0 +2,1 @@
                +print()
                """, expected: ["café x.py": [2]]),
        Case(
            name: "several hunks, unified=0, CRLF line ends",
            text:
                "--- a/w.py\r\n+++ b/w.py\r\n@@ -5,0 +6,2 @@\r\n+x\r\n+y\r\n@@ -20 +22 @@\r\n-p\r\n+q\r\n",
            expected: ["w.py": [6, 7, 22]]),
        Case(name: "empty input", text: "", expected: [:]),
    ]

    @Test(arguments: cases)
    func parses(_ example: Case) throws {
        let diff = try UnifiedDiff.parse(example.text, source: "test.diff")
        #expect(diff.changedLines == example.expected)
    }

    @Test(arguments: [
        ("--- a/f\n+++ b/f\n@@ -1,x +1 @@\n", "test.diff:3:1: error: not a unified diff: bad hunk header '@@ -1,x +1 @@'."),
        (
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n",
            "test.diff:4:1: error: not a unified diff: the last hunk ends early (1 new-side lines missing)."
        ),
        (
            "--- a/f\n+++ b/f\n@@ -1 +1 @@\n*oops\n",
            "test.diff:4:1: error: not a unified diff: a hunk line must start with ' ', '-' or '+' (1 new-side lines still expected)."
        ),
        ("@@ -1 +1 @@\n-a\n+b\n", "test.diff:1:1: error: not a unified diff: a hunk before any file header."),
    ])
    func rejectsMalformedDiffs(_ text: String, _ message: String) {
        let error = #expect(throws: DiffError.self) { try UnifiedDiff.parse(text, source: "test.diff") }
        #expect(error?.description == message)
    }

    @Test func anUnreadableDiffFileIsAUserFacingError() {
        let error = #expect(throws: DiffError.self) { try UnifiedDiff.load(path: "/nonexistent/pr.diff") }
        #expect(error?.description == "/nonexistent/pr.diff: error: cannot read the diff file.")
    }

    @Test func aFailingGitIsAUserFacingError() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: DiffError.self) {
            try UnifiedDiff.fromGit(base: "no-such-ref", workingDirectory: directory)
        }
        let description = try #require(error?.description)
        #expect(description.hasPrefix("error: `git diff no-such-ref...HEAD` failed: "))
        #expect(description.hasSuffix("."))
    }

    @Test func gitDiffOfARealRepositoryIsTheMergeBaseDiff() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"] + arguments
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
        }
        let file = directory.appendingPathComponent("f.py")
        try git("init", "-q")
        try Data("a\nb\nc\n".utf8).write(to: file)
        try git("add", "f.py")
        try git("commit", "-q", "-m", "base")
        try git("checkout", "-q", "-b", "feature")
        try Data("a\nB\nc\nd\n".utf8).write(to: file)
        try git("commit", "-q", "-am", "change")
        try git("checkout", "-q", "main")
        try Data("z\na\nb\nc\n".utf8).write(to: file)  // main moves on: not part of the PR
        try git("commit", "-q", "-am", "main moves")
        try git("checkout", "-q", "feature")

        let diff = try UnifiedDiff.fromGit(base: "main", workingDirectory: directory)
        #expect(diff.changedLines == ["f.py": [2, 4]])
    }
}
