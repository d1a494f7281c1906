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
    @Option(help: "Output format: text or json.") var format: OutputChoice = .text

    enum OutputChoice: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if reports.isEmpty { throw ValidationError("Give at least one report to ingest.") }
    }

    func run() async throws {
        let summary = try await IngestRunner(store: store, identity: identity, input: input).ingest(reports)
        switch format {
        case .json:
            print(try JSONOutput.encode(summary))
        case .text:
            TextOutput.printIngest(summary)
        }
    }
}

/// The part of `ingest` that `check` reuses: resolve the run, parse, store.
struct IngestRunner {
    var store: StoreOptions
    var identity: RunOptions
    var input: IngestOptions

    func ingest(_ paths: [String]) async throws -> IngestSummary {
        let detector = RunContextDetector()
        let root = input.root.map { URL(fileURLWithPath: $0) } ?? detector.repositoryRoot()
        let context = ParseContext(paths: PathNormalizer(repositoryRoot: root, environment: detector.environment),
                                   toolOverride: input.tool)
        let runContext = detector.resolve(flags: identity.flags)
        // Parse before opening the store, so bad input never creates or touches it.
        let probe = Ingestor(store: nil, context: context, forcedFormat: input.format)
        let items = try probe.read(paths: paths)
        let opened = try await store.open()
        let summary = try await Ingestor(store: opened, context: context, forcedFormat: input.format)
            .store(items, into: runContext, job: detector.resolveJob(flags: identity.jobFlags))
        for report in summary.reports {
            for warning in report.warnings {
                Terminal.standardError.line(TextEscaper.escape("\(report.path): warning: \(warning)"))
            }
        }
        return summary
    }
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return TextEscaper.inertJSON(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

enum TextOutput {
    static func printIngest(_ summary: IngestSummary) {
        let out = Terminal.standardOutput
        let run = summary.run
        out.line(TextEscaper.escape("run \(run.id)  commit \(run.commit.map { String($0.prefix(12)) } ?? "-")  branch \(run.branch ?? "-")"))
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
                parts.append("tests \(t.total)\(runs) (passed \(t.passed), failed \(t.failed), errors \(t.errors), skipped \(t.skipped), flaky \(t.flaky))")
            }
            if let c = report.coverage {
                let lines = c.linesValid == 0 ? "n/a" : String(format: "%.2f%%", Double(c.linesCovered) * 100 / Double(c.linesValid))
                let branches = c.branchesValid == 0 ? "n/a" : String(format: "%.2f%%", Double(c.branchesCovered) * 100 / Double(c.branchesValid))
                parts.append("coverage lines \(lines) (\(c.linesCovered)/\(c.linesValid)), branches \(branches)")
            }
            let status = report.status == .ingested ? out.paint("ingested", .green) : out.paint(report.status.rawValue, .dim)
            let name = TextEscaper.escape("\(report.path)  \(report.format.rawValue)/\(report.tool)")
            out.line("  \(name)  \(status)  \(parts.joined(separator: "; "))")
        }
    }
}
