import Foundation
import Testing

@testable import QGateCore

struct SARIFReporterTests {
    static let schema = TestPaths.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/schemas/sarif-schema-2.1.0.json")

    @Test func demoLogMatchesGoldenFile() throws {
        try Golden.check(SARIFReporter(includeFixed: true).render(DemoEvaluation.make()), against: "Report/qgate.sarif")
    }

    /// GitHub code scanning ignores `baselineState`: an uploaded `absent` result re-opens its alert.
    @Test func fixedFindingsAreLeftOutUnlessIncluded() throws {
        func states(_ reporter: SARIFReporter) throws -> [String] {
            let log = try #require(JSONSerialization.jsonObject(with: Data(reporter.render(DemoEvaluation.make()).utf8)) as? [String: Any])
            let runs = try #require(log["runs"] as? [[String: Any]])
            return runs.flatMap { ($0["results"] as? [[String: Any]] ?? []).compactMap { $0["baselineState"] as? String } }
        }
        let byDefault = try states(SARIFReporter())
        #expect(!byDefault.contains("absent"))
        #expect(byDefault.count == 20)
        #expect(try states(SARIFReporter(includeFixed: true)).filter { $0 == "absent" }.count == 2)
    }

    @Test func oneRunPerToolWithBaselineStates() throws {
        let log = try #require(
            JSONSerialization.jsonObject(with: Data(SARIFReporter(includeFixed: true).render(DemoEvaluation.make()).utf8))
                as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        let names = runs.compactMap { (($0["tool"] as? [String: Any])?["driver"] as? [String: Any])?["name"] as? String }
        #expect(names == ["bandit", "flake8", "mypy", "pylint", "safety"])
        let states = runs.flatMap { ($0["results"] as? [[String: Any]] ?? []).compactMap { $0["baselineState"] as? String } }
        #expect(states.filter { $0 == "new" }.count == 18)
        #expect(states.filter { $0 == "unchanged" }.count == 2)
        #expect(states.filter { $0 == "absent" }.count == 2)
    }

    @Test(arguments: [("pkg/a b.py", "pkg/a%20b.py"), ("c:/x%y.py", "c%3A/x%25y.py"), ("src/ü.py", "src/%C3%BC.py")])
    func pathsAreRelativeURIReferences(path: String, expected: String) {
        #expect(SARIFOutputLog.Location.uriReference(path) == expected)
    }

    /// The schema lives beside the clone (never copied into it) and the check needs Python's
    /// `jsonschema`; without either the test reports itself skipped, not passed.
    static var canValidate: Bool {
        FileManager.default.fileExists(atPath: schema.path) && JSONSchemaCheck.pythonHasJSONSchema
    }

    @Test(.enabled(if: canValidate, "needs ../shared/schemas/sarif-schema-2.1.0.json and python3 -m jsonschema"))
    func validatesAgainstTheSchema() throws {
        var evaluation = HostileStringsTests.hostileEvaluation()
        evaluation.findings.new += DemoEvaluation.make().findings.new
        evaluation.findings.fixed += DemoEvaluation.make().findings.fixed
        for (name, candidate) in [("demo", DemoEvaluation.make()), ("hostile", evaluation)] {
            let directory = try TestPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("\(name).sarif")
            try Data(SARIFReporter().render(candidate).utf8).write(to: file)
            let result = try JSONSchemaCheck.run(schema: Self.schema, document: file)
            #expect(result == .valid, "\(name): \(result)")
        }
    }
}

/// Validates a JSON document against a JSON schema with Python's `jsonschema` module.
enum JSONSchemaCheck: Equatable {
    case valid
    case invalid(String)
    case unavailable

    static var pythonHasJSONSchema: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import jsonschema"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func run(schema: URL, document: URL) throws -> JSONSchemaCheck {
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                sys.exit(3)
            schema = json.load(open(sys.argv[1]))
            document = json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(document), key=str)
            for error in errors[:5]:
                print(list(error.absolute_path), error.message[:300])
            sys.exit(1 if errors else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema.path, document.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return .unavailable }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return .valid
        case 3, 127: return .unavailable
        default: return .invalid(output)
        }
    }
}
