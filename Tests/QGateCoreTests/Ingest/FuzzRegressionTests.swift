import Foundation
import QGateCore
import Testing

/// Inputs that `make fuzz` (libFuzzer, scripts/fuzz.sh) found crashing a parser, kept in
/// `fixtures/fuzz/<target>/` once the bug was fixed. Each is read as its fuzz target reads it
/// (`Fuzz/Sources/FuzzSupport/FuzzInput.swift`): it must be read, or refused with an
/// ``IngestError``, and never stop the process.
struct FuzzRegressionTests {
    /// The format each fuzz target forces; nil is format detection.
    static let targets: [String: ReportFormat?] = [
        "junit": .junit, "cobertura": .cobertura, "sarif": .sarif, "bandit": .banditJSON,
        "safety": .safetyJSON, "detect": nil,
    ]

    static let inputs: [String] = {
        let root = TestPaths.fixtures.appendingPathComponent("fuzz")
        var found: [String] = []
        for target in targets.keys.sorted() {
            let folder = root.appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            found += names.filter { !$0.hasPrefix(".") }.sorted().map { "\(target)/\($0)" }
        }
        return found
    }()

    @Test(arguments: inputs)
    func aFoundInputIsReadOrRefused(_ input: String) throws {
        let target = String(input.prefix { $0 != "/" })
        let format = try #require(Self.targets[target])
        let source = TestPaths.fixture("fuzz/" + input)
        do {
            let report = try ReportReader.read(source, as: format)
            #expect(FindingCounts(report.findings).total == report.findings.count)
        } catch let error as IngestError {
            #expect(error.file == source.displayPath)
        }
    }
}
