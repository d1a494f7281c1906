import Foundation
import Testing

@testable import QGateCore

/// A valid policy becomes exactly the ``Policy`` value its YAML describes.
struct PolicyLoaderTests {
    @Test func mapsEveryKeyOntoThePolicy() throws {
        let yaml = """
            policy: prod
            baseline:
              branch: main
              on_missing_baseline: fail
            require: [flake8, pytest, coverage]
            count_suppressed: true
            gates:
              - name: No high vulnerabilities
                metric: findings
                where:
                  tool: [Safety, trivy]
                  category: [vulnerability, secret]
                  severity: [critical, high]
                  rule: "CVE-*"
                  path: ["requirements*.txt", "**/Dockerfile"]
                max: 0
              - name: New lint
                metric: findings
                scope: new
                where: { category: lint }
                max: 0
                level: warn
              - name: Coverage
                metric: coverage.lines
                min: 70
                max: 100
                delta: { min: -0.5 }
                trend: { window: 10, slope: { min: -0.1 }, median: { min: -1, max: 5 } }
                on_missing: pass
              - name: Slow tests
                metric: tests.duration
                where: { tool: pytest, path: "tests/**" }
                max: 90.5
            waivers:
              - rule: B101
                paths: ["tests/**"]
                reason: asserts are how pytest works
              - fingerprint: 0123abcd
                reason: accepted risk, see SEC-123
                expires: 2027-01-31
              - package: jinja2
                advisory: CVE-2020-28493
                tool: Safety
                path: requirements.txt
                reason: not reachable
            severity:
              - { tool: Flake8, rule: "E5*", severity: info }
              - { rule: W0611, severity: high }
            """
        let policy = try PolicyLoader.load(text: yaml, file: "rules/prod.yml")
        func at(_ line: Int, _ column: Int) -> QGateCore.SourceLocation {
            QGateCore.SourceLocation(file: "rules/prod.yml", line: line, column: column)
        }
        let expected = Policy(
            name: "prod",
            baseline: BaselineSpec(branch: "main", onMissing: .fail),
            require: [
                RequiredReport(name: "flake8", location: at(5, 11)),
                RequiredReport(name: "pytest", location: at(5, 19)),
                RequiredReport(name: "coverage", location: at(5, 27)),
            ],
            gates: [
                Gate(
                    name: "No high vulnerabilities", metric: .findings,
                    filter: MetricFilter(
                        tools: ["safety", "trivy"], categories: [.vulnerability, .secret],
                        severities: [.critical, .high], rules: [try Glob("CVE-*")],
                        paths: [try Glob("requirements*.txt"), try Glob("**/Dockerfile")]),
                    bound: Bound(max: 0), location: at(8, 5)),
                Gate(
                    name: "New lint", metric: .findings, filter: MetricFilter(categories: [.lint]), scope: .new,
                    bound: Bound(max: 0), level: .warn, location: at(17, 5)),
                Gate(
                    name: "Coverage", metric: .coverageLines, bound: Bound(min: 70, max: 100), delta: Bound(min: -0.5),
                    trend: TrendSpec(window: 10, slope: Bound(min: -0.1), fromMedian: Bound(min: -1, max: 5)),
                    onMissing: .pass, location: at(23, 5)),
                Gate(
                    name: "Slow tests", metric: .testsDuration,
                    filter: MetricFilter(tools: ["pytest"], paths: [try Glob("tests/**")]),
                    bound: Bound(max: 90.5), location: at(30, 5)),
            ],
            waivers: [
                Waiver(
                    rule: try Glob("B101"), paths: [try Glob("tests/**")], reason: "asserts are how pytest works",
                    location: at(35, 5)),
                Waiver(fingerprint: "0123abcd", reason: "accepted risk, see SEC-123", expires: "2027-01-31", location: at(38, 5)),
                Waiver(
                    tool: "safety", paths: [try Glob("requirements.txt")], package: "jinja2", advisory: "CVE-2020-28493",
                    reason: "not reachable", location: at(41, 5)),
            ],
            severityOverrides: [
                SeverityOverride(tool: "flake8", rule: try Glob("E5*"), severity: .info),
                SeverityOverride(rule: try Glob("W0611"), severity: .high),
            ],
            countSuppressed: true
        )
        #expect(policy == expected)
    }

    @Test func defaultsForWhatIsLeftOut() throws {
        let policy = try PolicyLoader.load(text: "policy: minimal\nrequire: [pytest]\n", file: "p.yml")
        #expect(
            policy
                == Policy(
                    name: "minimal",
                    require: [RequiredReport(name: "pytest", location: QGateCore.SourceLocation(file: "p.yml", line: 2, column: 11))]))
        #expect(policy.baseline.onMissing == .warn)
        #expect(policy.countSuppressed == false)
    }

    @Test func baselineByExplicitRun() throws {
        let policy = try PolicyLoader.load(text: "policy: p\nbaseline: { run: 3f2a9c1 }\nrequire: [pytest]\n", file: "p.yml")
        #expect(policy.baseline == BaselineSpec(run: "3f2a9c1"))
    }

    @Test func expiresMayBeQuoted() throws {
        let yaml = "policy: p\nrequire: [bandit]\nwaivers:\n  - { rule: B101, reason: ok, expires: \"2028-02-29\" }\n"
        #expect(try PolicyLoader.load(text: yaml, file: "p.yml").waivers.first?.expires == "2028-02-29")
    }

    @Test func readsAFileByPath() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("p.yml")
        try Data("policy: p\ngates:\n  - { name: g, metric: tests.failed, max: 0 }\n".utf8).write(to: url)
        let policy = try PolicyLoader.load(path: url.path)
        #expect(policy.gates.first?.location == QGateCore.SourceLocation(file: url.path, line: 3, column: 5))
    }
}

/// The policies the project ships are real, and must stay valid.
struct ShippedPolicyTests {
    @Test(arguments: ["prod", "dev"])
    func shippedPolicyValidates(_ name: String) throws {
        let path = TestPaths.repositoryRoot.appendingPathComponent("rules/\(name).yml").path
        let policy = try PolicyLoader.load(path: path)
        #expect(policy.name == name)
        #expect(!policy.gates.isEmpty)
        #expect(policy.waivers.allSatisfy { !$0.reason.isEmpty })
    }

    @Test func prodIsStrictAndDevOnlyFailsOnTheWorst() throws {
        let prod = try PolicyLoader.load(path: TestPaths.repositoryRoot.appendingPathComponent("rules/prod.yml").path)
        let dev = try PolicyLoader.load(path: TestPaths.repositoryRoot.appendingPathComponent("rules/dev.yml").path)
        #expect(prod.gates.contains { $0.metric == .coverageLines && $0.bound?.min == 70 })
        #expect(prod.gates.contains { $0.metric == .coverageLines && $0.delta?.min == -0.5 })
        #expect(prod.gates.contains { $0.metric == .coveragePatch && $0.bound?.min == 80 && $0.onMissing == .warn })
        #expect(prod.gates.contains { $0.trend != nil })
        #expect(prod.waivers.contains { $0.rule?.pattern == "B101" && $0.paths.map(\.pattern) == ["tests/**"] })
        #expect(dev.gates.filter { $0.level == .fail }.count == 1)
    }
}
