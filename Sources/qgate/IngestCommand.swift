import ArgumentParser
import Foundation
import QGateCore

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store reports into the current run.",
        discussion: "Every report is parsed before anything is written; one bad report writes nothing (exit 2)."
    )

    @Argument(help: "Report files (format detected from content).") var reports: [String]
    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: RunOptions
    @OptionGroup var input: IngestOptions
    @Option(name: [.short, .long], help: "Output format.") var format: OutputChoice = .text

    enum OutputChoice: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if reports.isEmpty { throw ValidationError("Give at least one report to ingest.") }
    }

    func run() async throws {
        let (summary, _) = try await IngestRunner(store: store, identity: identity, input: input).ingest(reports)
        switch format {
        case .json:
            try JSONOutput.print(summary)
        case .text:
            TextOutput.printIngest(summary)
        }
    }
}

/// The flags of `ingest` (and `check` with reports) as the core's ``IngestPipeline``; warnings
/// about the reports go to standard error.
struct IngestRunner {
    var store: StoreOptions
    var identity: RunOptions
    var input: IngestOptions

    /// `echoWarnings`: print report warnings on standard error; `check` leaves them to its
    /// verdict's Notes when standard output shows those, so each is said once.
    func ingest(_ paths: [String], echoWarnings: Bool = true) async throws -> (IngestSummary, any RunStore) {
        let pipeline = IngestPipeline(
            location: store.location, run: identity.flags, job: identity.jobFlags,
            root: input.root.map { URL(fileURLWithPath: $0) }, tool: input.tool, format: input.format)
        let (summary, opened) = try await pipeline.ingest(paths, now: Date())
        let run = summary.run
        if run.commit == nil && run.branch == nil && run.pipeline == nil {
            Terminal.standardError.line(
                TextEscaper.escape(
                    "warning: this run has no identity (no commit, branch or pipeline): no --commit/--branch/--pipeline, no CI variables "
                        + "(GitHub Actions, GitLab CI, Jenkins), and \(FileManager.default.currentDirectoryPath) is not in a git repository; "
                        + "every such ingest writes into one run without a branch, which is never a baseline"))
        }
        for report in summary.reports where echoWarnings {
            for warning in report.warnings {
                Terminal.standardError.line(TextEscaper.escape("\(report.path): warning: \(warning)"))
            }
        }
        return (summary, opened)
    }
}

/// Every command's `--format json`: the one qgate JSON encoder, written to standard output.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try QGateJSON.render(value), terminator: "")
    }
}

enum TextOutput {
    static func printIngest(_ summary: IngestSummary) {
        let out = Terminal.standardOutput
        let run = summary.run
        out.line(
            TextEscaper.escape("run \(run.id)  commit \(run.commit.map { String($0.prefix(12)) } ?? "-")  branch \(run.branch ?? "-")"))
        if summary.replaced > 0 {
            out.line("  replaced \(summary.replaced) report\(summary.replaced == 1 ? "" : "s") of an earlier attempt of this job")
        }
        for report in summary.reports {
            var parts: [String] = []
            let f = report.findings
            if f.total > 0 || report.tests.total == 0 && report.coverage == nil {
                let bySeverity = [("critical", f.critical), ("high", f.high), ("medium", f.medium), ("low", f.low), ("info", f.info)]
                    .filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
                parts.append("findings \(f.total)" + (bySeverity.isEmpty ? "" : " (\(bySeverity))"))
            }
            if f.suppressed > 0 { parts.append("suppressed \(f.suppressed)") }
            let t = report.tests
            if t.total > 0 {
                let runs = t.runs == t.total ? "" : ", \(t.runs) runs"
                parts.append(
                    "tests \(t.total)\(runs) (passed \(t.passed), failed \(t.failed), errors \(t.errors), skipped \(t.skipped), flaky \(t.flaky))"
                )
            }
            if let c = report.coverage {
                let lines = c.linesValid == 0 ? "n/a" : String(format: "%.2f%%", Double(c.linesCovered) * 100 / Double(c.linesValid))
                let branches =
                    c.branchesValid == 0 ? "n/a" : String(format: "%.2f%%", Double(c.branchesCovered) * 100 / Double(c.branchesValid))
                parts.append("coverage lines \(lines) (\(c.linesCovered)/\(c.linesValid)), branches \(branches)")
            }
            let status = report.status == .ingested ? out.paint("ingested", .green) : out.paint(report.status.rawValue, .dim)
            let name = TextEscaper.escape("\(report.path)  \(report.format.rawValue)/\(report.tool)")
            out.line("  \(name)  \(status)  \(parts.joined(separator: "; "))")
        }
    }
}
