import Foundation
import Testing

/// Every `--format json` document of every command, produced by the built binary on the demo
/// fixtures, validated against its JSON Schema in docs/schemas/ (issue #13: one JSON vocabulary).
@Suite(
    .serialized,
    .enabled(
        if: CLI.available && JSONSchemaValidator.available,
        "needs the built qgate and the JSON Schema validator (make deps creates .build/pyvenv)"))
struct JSONVocabularyTests {
    /// A store holding the demo's two checked runs, and a directory for the documents.
    final class Workspace {
        let directory: URL
        var db: String { directory.appendingPathComponent("qgate.db").path }

        init() throws {
            directory = try TestPaths.temporaryDirectory()
            for (run, arguments) in DemoRuns.checks.enumerated() {
                let result = try CLI.run(["check", "--db", db] + arguments)
                #expect(result.status <= 1, "demo run \(run + 1): \(result.stderr)")
            }
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        /// Runs qgate and writes its standard output to `name` in the workspace.
        func document(_ name: String, _ arguments: [String], status: Int32 = 0) throws -> URL {
            let result = try CLI.run(arguments)
            #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)")
            let url = directory.appendingPathComponent(name)
            try Data(result.stdout.utf8).write(to: url)
            return url
        }
    }

    @Test func everyCommandsJSONMatchesItsSchema() throws {
        let work = try Workspace()
        let db = ["--db", work.db]
        let documents: [(schema: String, file: URL)] = [
            (
                "check.schema.json",
                try work.document(
                    "check.json",
                    [
                        "report", "--run", "2", "--policy", "rules/prod.yml",
                        "--diff", "fixtures/sample/pr.diff", "--format", "json",
                    ] + db)
            ),
            (
                "check.schema.json",
                try work.document("check-1.json", ["report", "--run", "1", "--policy", "rules/prod.yml", "-f", "json"] + db)
            ),
            ("diff.schema.json", try work.document("diff.json", ["diff", "1", "2", "--format", "json"] + db)),
            ("runs.schema.json", try work.document("runs.json", ["runs", "--format", "json"] + db)),
            ("trend.schema.json", try work.document("trend.json", ["trend", "findings", "--by", "severity", "--format", "json"] + db)),
            ("trend.schema.json", try work.document("trend-cov.json", ["trend", "coverage.lines", "--format", "json"] + db)),
            ("flaky.schema.json", try work.document("flaky.json", ["flaky", "--format", "json"] + db)),
            (
                "ingest.schema.json",
                try work.document(
                    "ingest.json",
                    [
                        "ingest", "--format", "json", "--commit", "3333333",
                        "--branch", "main", "fixtures/reports/main/flake8.xml",
                    ] + db)
            ),
            ("prune.schema.json", try work.document("prune.json", ["prune", "--keep-last", "1", "--dry-run", "--format", "json"] + db)),
            (
                "merge.schema.json",
                try work.document(
                    "merge.json",
                    [
                        "merge", "--format", "json",
                        work.directory.appendingPathComponent("merged.db").path, work.db,
                    ])
            ),
            (
                "policy-validate.schema.json",
                try work.document("policy.json", ["policy", "validate", "--format", "json", "rules/prod.yml"])
            ),
        ]
        for (schema, file) in documents {
            let problems = try JSONSchemaValidator.validate(file, against: schema)
            #expect(problems.isEmpty, "\(file.lastPathComponent) against \(schema):\n\(problems)")
        }
    }

    @Test func aFindingIsSpelledTheSameInDiffAndCheck() throws {
        let work = try Workspace()
        let diff = try CLI.run(["diff", "1", "2", "--format", "json", "--db", work.db])
        let check = try CLI.run(["report", "--run", "2", "--policy", "rules/prod.yml", "--format", "json", "--db", work.db])
        for output in [diff.stdout, check.stdout] {
            #expect(output.contains("\"rule_id\": "))
            #expect(!output.contains("ruleID") && !output.contains("startLine") && !output.contains("affectedSpec"))
            #expect(!output.contains("\" : ") && !output.contains("[\n\n"))
        }
    }

    @Test func theBaselineRunListsItsReports() throws {
        let work = try Workspace()
        let check = try CLI.run(["report", "--run", "2", "--policy", "rules/prod.yml", "--format", "json", "--db", work.db])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let baseline = try #require(object["baseline"] as? [String: Any])
        let run = try #require(baseline["run"] as? [String: Any])
        let reports = try #require(run["reports"] as? [[String: Any]])
        #expect(reports.count == 7)
        #expect(reports.contains { $0["tool"] as? String == "pylint" && $0["format"] as? String == "junit" })
    }

    @Test func policyValidateGivesDiagnosticsAsObjects() throws {
        let work = try Workspace()
        let policy = work.directory.appendingPathComponent("typo.yml")
        try "policy: x\ngates:\n  - name: a\n    metric: findings\n    mx: 0\n".write(to: policy, atomically: true, encoding: .utf8)
        let file = try work.document("typo.json", ["policy", "validate", "--format", "json", policy.path], status: 2)
        #expect(try JSONSchemaValidator.validate(file, against: "policy-validate.schema.json").isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        let typo = try #require(diagnostics.first { ($0["message"] as? String)?.contains("'mx'") == true })
        #expect(typo["line"] as? Int == 5 && typo["column"] as? Int == 5)
        #expect(typo["suggestion"] as? String == "did you mean 'max'?")
        #expect(object["valid"] as? Bool == false)
    }
}

/// The demo's two checks (scripts/demo.sh), as arguments after `check --db DB`.
enum DemoRuns {
    static func reports(_ side: String) -> [String] {
        ["bandit.json", "coverage.xml", "flake8.xml", "mypy.xml", "pylint.xml", "pytest.xml", "safety.json"]
            .map { "fixtures/reports/\(side)/\($0)" }
    }

    static let checks: [[String]] = [
        [
            "--policy", "rules/prod.yml", "--commit", String(repeating: "1", count: 40), "--branch", "main", "--pipeline", "demo-1",
            "--root", "fixtures/sample/main",
        ] + reports("main"),
        [
            "--policy", "rules/prod.yml", "--commit", String(repeating: "2", count: 40), "--branch", "feature/bulk-pricing",
            "--base-branch", "main", "--pr", "7", "--pipeline", "demo-2", "--diff", "fixtures/sample/pr.diff",
            "--root", "fixtures/sample/pr",
        ] + reports("pr"),
    ]
}

/// docs/schemas/ checked by Python's jsonschema 4.26.0 (scripts/validate-json.py), installed by
/// `make deps` into .build/pyvenv: no Swift JSON Schema validator is available here.
enum JSONSchemaValidator {
    static let python = TestPaths.repositoryRoot.appendingPathComponent(".build/pyvenv/bin/python")

    static var available: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    /// The validator's complaints about `file` (empty when it conforms).
    static func validate(_ file: URL, against schema: String) throws -> String {
        let process = Process()
        process.executableURL = python
        process.arguments = [TestPaths.repositoryRoot.appendingPathComponent("scripts/validate-json.py").path, schema, file.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return process.terminationStatus == 0 ? "" : (text.isEmpty ? "validator exit \(process.terminationStatus)" : text)
    }
}
