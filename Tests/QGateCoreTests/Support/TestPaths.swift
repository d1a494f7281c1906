import Foundation
import QGateCore

/// Where the test inputs live: the project's own fixtures, and the real reports from public
/// projects in `../shared/real-reports` (beside the clone, never copied into it).
enum TestPaths {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = repositoryRoot.appendingPathComponent("fixtures")

    static let realReports: URL = {
        if let override = ProcessInfo.processInfo.environment["QGATE_REAL_REPORTS"] {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/real-reports")
    }()

    /// False on a machine without the shared folder: tests that need it report themselves skipped.
    static var haveRealReports: Bool {
        FileManager.default.fileExists(atPath: realReports.appendingPathComponent("PROVENANCE.md").path)
    }

    static func realReport(_ relative: String) -> ReportSource {
        ReportSource(url: realReports.appendingPathComponent(relative), displayPath: relative)
    }

    static func fixture(_ relative: String) -> ReportSource {
        ReportSource(url: fixtures.appendingPathComponent(relative), displayPath: "fixtures/" + relative)
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qgate-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `contents` to a new temporary file named `name` and returns it as a source.
    static func temporaryReport(_ name: String, _ contents: String) throws -> ReportSource {
        let directory = try temporaryDirectory()
        let url = directory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return ReportSource(url: url, displayPath: name)
    }
}
