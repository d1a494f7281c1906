import Foundation
import QGateCore
import Testing

/// The same advisory on the same package, reported by two scanners, is one vulnerability.
/// Real reports from one public project: safety 3.7.0 and Trivy 0.67.2 both found
/// CVE-2024-1135 and CVE-2024-6827 in gunicorn 21.2.0.
@Suite(.enabled(if: TestPaths.haveRealReports, "../shared/real-reports is not beside this clone"))
struct CrossScannerTests {
    @Test func safetyAndTrivyFindingsOfOneCVEAreOneVulnerability() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("q.db").path)
        let items = try [
            "safety/safety-3.7.0-check-json-with-deprecation-banner.json", "sarif-trivy/trivy-0.67.2-fs-requirements-rootpath.sarif",
        ]
        .map { path in
            let source = TestPaths.realReport(path)
            return IngestItem(
                path: path, sha256: try ContentHash.sha256(of: source.url, displayPath: path),
                report: try ReportReader.read(source))
        }
        let run = try store.ingest(items, into: RunContext(commit: "c", branch: "main", pipeline: "p")).run

        let stored = try store.findings(runID: run.id).filter { $0.category == .vulnerability }
        #expect(Set(stored.map(\.tool)) == ["safety", "trivy"], "both sources are kept")
        let gunicorn = stored.filter { $0.dependency?.normalizedName == "gunicorn" }
        #expect(gunicorn.count == 4)
        #expect(Set(gunicorn.map(\.fingerprint)).count == 2, "two vulnerabilities, each from two scanners")
        for cve in ["CVE-2024-1135", "CVE-2024-6827"] {
            let reports = gunicorn.filter { $0.advisories.contains(cve) }
            #expect(Set(reports.map(\.tool)) == ["safety", "trivy"], "\(cve)")
            #expect(Set(reports.map(\.fingerprint)).count == 1, "\(cve)")
        }

        // A gate counts it once.
        let policy = Policy(
            name: "t",
            gates: [
                Gate(
                    name: "vulnerabilities", metric: .findings,
                    filter: MetricFilter(categories: [.vulnerability]), bound: Bound(max: 100))
            ])
        let evaluation = try await store.evaluate(runID: run.id, policy: policy, today: "2026-11-27")
        #expect(evaluation.gates.first?.actual == Double(Set(stored.map(\.fingerprint)).count))
    }
}
