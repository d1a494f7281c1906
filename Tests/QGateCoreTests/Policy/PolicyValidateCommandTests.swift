import Foundation
import Testing

/// `qgate policy validate` through the built binary: what a person sees, and the exit code.
@Suite(.enabled(if: CLI.available, "the qgate binary is not built in .build/debug"))
struct PolicyValidateCommandTests {
    static func run(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(arguments)
    }

    @Test func shippedPolicyIsOK() throws {
        let output = try Self.run(["policy", "validate", "rules/prod.yml"])
        #expect(output.status == 0)
        #expect(output.stdout == "rules/prod.yml: ok (11 gates, 2 waivers)\n")
        #expect(output.stderr.isEmpty)
    }

    @Test func typoIsReportedWithItsPositionAndExits2() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("typo.yml")
        try Data("policy: t\ngates:\n  - name: g\n    metric: findings\n    max: 0\n  - name: h\n    metric: findings\n    mx: 0\n".utf8)
            .write(to: file)
        let output = try Self.run(["policy", "validate", file.path])
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(
            output.stderr == """
                \(file.path):6:5: error: gate 'h' has no bound, so it can never fail; give 'min', 'max', 'delta' or 'trend'
                \(file.path):8:5: error: unknown key 'mx' in a gate; did you mean 'max'?

                """)
    }

    @Test func missingFileExits2() throws {
        let output = try Self.run(["policy", "validate", "rules/nope.yml"])
        #expect(output.status == 2)
        #expect(output.stderr == "rules/nope.yml: error: cannot read the policy: no such file\n")
    }
}
