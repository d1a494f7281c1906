import Foundation
import Testing

@testable import QGateCore

/// Issue #16 item 14: outputs stay bounded however large the report's strings are. One cap per
/// string (``TextEscaper/messageLimit``) in every format, the recorded evaluation with the same
/// cap, and a step summary never above GitHub's 1 MiB whatever `--max-length` says.
struct OutputBoundsTests {
    static let tenMegabytes = String(repeating: "0123456789", count: 1_000_000)

    static func bigMessages() -> Evaluation {
        var evaluation = DemoEvaluation.make()
        evaluation.findings.new = (0..<10).map { index in
            var finding = Finding(
                tool: "t", category: .lint, ruleID: "R\(index)", severity: .high, path: "a.py",
                range: SourceRange(startLine: index + 1), message: tenMegabytes)
            finding.fingerprint = "f\(index):0"
            return finding
        }
        evaluation.findings.unchanged = evaluation.findings.new
        evaluation.findings.fixed = evaluation.findings.new
        evaluation.tests.failing = (0..<10).map {
            TestResult(suite: "s", className: "c", name: "t\($0)", status: .failed, message: tenMegabytes, details: tenMegabytes)
        }
        evaluation.gates[0].message = tenMegabytes
        return evaluation
    }

    @Test(arguments: OutputFormat.allCases)
    func tenTenMegabyteMessagesPrintAsCappedMessages(format: OutputFormat) {
        let text = format.reporter().render(Self.bigMessages())
        // Before: 104 MB of text output. After: each message at most 2,000 characters.
        #expect(text.utf8.count < 400_000, "\(format): \(text.utf8.count) bytes")
        #expect(!text.contains(String(repeating: "0123456789", count: TextEscaper.messageLimit / 10 + 1)), "\(format)")
    }

    @Test func theRecordedEvaluationKeepsCappedMessages() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(commit: "c1", findings: [Make.finding("E1", message: Self.tenMegabytes)])
        let evaluation = try await fixture.evaluate(Policy(name: "p", gates: []), run: run)
        #expect(evaluation.findings.unchanged.first?.message.count == Self.tenMegabytes.count)
        try fixture.store.record(evaluation)
        let stored = try #require(try fixture.store.storedEvaluation(runID: run.id))
        #expect(stored.findings.unchanged.first?.message == String(Self.tenMegabytes.prefix(TextEscaper.messageLimit)) + "…")
        let size =
            try FileManager.default.attributesOfItem(atPath: fixture.directory.appendingPathComponent("qgate.db").path)[.size] as? Int
        #expect((size ?? 0) < 25_000_000, "store \(size ?? 0) bytes")
    }

    @Test func theStepSummaryNeverExceedsOneMebibyte() async throws {
        var evaluation = DemoEvaluation.make()
        evaluation.findings.new = (0..<12_000).map { index in
            var finding = Finding(
                tool: "tool€", category: .lint, ruleID: "R€\(index)", severity: .medium, path: "p€/\(index).py",
                range: SourceRange(startLine: index + 1), message: String(repeating: "€𝄞", count: 40))
            finding.fingerprint = "f\(index):0"
            return finding
        }
        let unbounded = MarkdownReporter(options: .init(maxLength: 50_000_000)).render(evaluation)
        #expect(unbounded.utf8.count > 2 * StepSummary.byteLimit)
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("summary.md")
        let outcome = try StepSummary.append(environment: [StepSummary.environmentVariable: file.path], maxLength: 50_000_000) { budget in
            MarkdownReporter(options: .init(maxLength: budget)).render(evaluation)
        }
        guard case .appended(_, let bytes) = outcome else { Issue.record("nothing appended: \(outcome)"); return }
        let summary = try String(contentsOf: file, encoding: .utf8)
        #expect(summary.utf8.count == bytes)
        #expect(summary.utf8.count <= StepSummary.byteLimit)
        #expect(summary.utf8.count > StepSummary.byteLimit / 2, "uses the room it has: \(summary.utf8.count)")
        #expect(summary.hasPrefix("<!-- qgate:summary"))
    }
}
