import Foundation
import GRDB
import Testing

@testable import QGateCore

/// Issue 9 item 8: a finding about a whole file (no line, or line 1) is not identified by the
/// text of line 1, so adding a shebang does not make it new.
struct FileLevelFingerprintTests {
    @Test func pylintModuleMessagesSurviveAShebang() async throws {
        // pylint 4.1.4 (--max-module-lines=10) on shapes.py, then with `#!/usr/bin/env python3` added.
        let base = try ReportReader.read(TestPaths.fixture("identity/pylint-shebang/base.xml"))
        let pr = try ReportReader.read(TestPaths.fixture("identity/pylint-shebang/pr.xml"))
        #expect(Set(pr.findings.filter { $0.range.startLine == 1 }.map(\.ruleID)) == ["C0114", "C0302"])
        let comparison = FindingComparison(current: pr.findings, baseline: base.findings)
        #expect(comparison.new.isEmpty, "\(comparison.new.map(\.ruleID))")
        #expect(comparison.fixed.isEmpty, "\(comparison.fixed.map(\.ruleID))")
        #expect(comparison.unchanged.count == 5)
    }

    @Test func lineOneTextIsNotPartOfAFileLevelIdentity() {
        var before = Finding(
            tool: "pylint", category: .lint, ruleID: "C0114", severity: .low, path: "a.py",
            range: SourceRange(startLine: 1), message: "Missing module docstring", snippet: "import os")
        var after = before
        after.snippet = "#!/usr/bin/env python3"
        #expect(FingerprintRecipe.identityKey(before) == FingerprintRecipe.identityKey(after))
        before.range.startLine = nil
        #expect(FingerprintRecipe.identityKey(before) == FingerprintRecipe.identityKey(after))
        // Elsewhere the flagged line still identifies the finding.
        var line7 = after
        line7.range.startLine = 7
        var other = line7
        other.snippet = "x = 1"
        #expect(FingerprintRecipe.identityKey(line7) != FingerprintRecipe.identityKey(other))
    }

    @Test func fingerprintsTheRecipeDidNotChangeKeepTheirValue() {
        // Recipe 2 keeps recipe 1's values where it keys the same (waivers by fingerprint keep working).
        let finding = Finding(
            tool: "flake8", category: .lint, ruleID: "F401", severity: .medium, path: "pkg/a.py",
            range: SourceRange(startLine: 3), message: "'os' imported but unused", snippet: "import os")
        #expect(FingerprintRecipe.identityKey(finding) == "c" + FingerprintRecipe.hash(["v1", "flake8", "F401", "pkg/a.py", "import os"]))
    }

    @Test func aBaselineIdentifiedByRecipeOneIsComparedWithoutFlips() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("qgate.db").path)
        let read = { (state: String) in
            try Ingestor(context: ParseContext())
                .read(paths: [TestPaths.fixtures.appendingPathComponent("identity/pylint-shebang/\(state).xml").path])
        }
        let base = try store.ingest(try read("base"), into: RunContext(commit: "c1", branch: "main", pipeline: "1")).run
        // What qgate before recipe 2 stored: line-1 findings keyed on line 1's text, version 1.
        try await store.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE findings SET fingerprint = 'cold' || id || ':0' WHERE run_id = ? AND start_line = 1;
                    UPDATE reports SET fingerprint_version = 1 WHERE run_id = ?;
                    """, arguments: [base.id, base.id])
        }
        let head = try store.ingest(try read("pr"), into: RunContext(commit: "c2", branch: "feature", pipeline: "2")).run
        #expect(try store.oldestFingerprintRecipe(runID: base.id) == 1)
        #expect(try store.oldestFingerprintRecipe(runID: head.id) == FingerprintRecipe.version)
        let policy = Policy(name: "p", baseline: BaselineSpec(run: String(base.id), onMissing: .fail))
        let evaluation = try await store.evaluate(runID: head.id, policy: policy, today: "2026-12-01", baseline: String(base.id))
        #expect(evaluation.findings.new.isEmpty, "\(evaluation.findings.new.map(\.ruleID))")
        #expect(evaluation.findings.fixed.isEmpty)
    }
}
