import Foundation
import Testing

@testable import QGateCore

/// Issue #16 item 12: glob matching used to backtrack (a 32k-character path against
/// `**/*_test.py` took 6.9 s, a 200k one against `**/*x*y*z` did not finish) and to recurse once
/// per character (a 200k-character literal glob crashed with SIGSEGV).
struct GlobHostileTests {
    static func seconds(_ work: () throws -> Void) rethrows -> Double {
        let start = Date()
        try work()
        return Date().timeIntervalSince(start)
    }

    @Test func aLongPathAgainstTestPatternIsFast() throws {
        let glob = try Glob("**/*_test.py")
        let path = String(repeating: "a/", count: 16_000) + "b.txt"
        var matched = true
        let elapsed = Self.seconds { matched = glob.matches(path) }
        #expect(!matched)
        #expect(elapsed < 1.0, "took \(elapsed) s")
        #expect(glob.matches(String(repeating: "a/", count: 16_000) + "b_test.py"))
    }

    @Test func manyStarsAgainstA200kPathAreFast() throws {
        let glob = try Glob("**/*x*y*z")
        let path = String(repeating: "x", count: 100_000) + String(repeating: "y", count: 100_000)
        var matched = true
        let elapsed = Self.seconds { matched = glob.matches(path) }
        #expect(!matched)
        #expect(elapsed < 2.0, "took \(elapsed) s")
        #expect(glob.matches(path + "z"))
    }

    @Test func a200kLiteralGlobIsRefusedWithAClearError() {
        let error = #expect(throws: Glob.SyntaxError.self) { try Glob(String(repeating: "a", count: 200_000)) }
        #expect(error?.message == "the pattern is 200000 characters long; at most 1024 are allowed")
    }

    @Test func theLongestAllowedLiteralGlobAndManyStarsMatchWithoutRecursion() throws {
        let pattern = String(repeating: "a", count: Glob.maxLength)
        #expect(try Glob(pattern).matches(pattern))
        // Every state of a many-star pattern is active at once: time is path × stars, never exponential.
        let wild = String(repeating: "a*", count: 16)
        let glob = try Glob(wild)
        let path = String(repeating: "a", count: 20_000)
        var matched = false
        let elapsed = Self.seconds { matched = glob.matches(path) }
        #expect(matched)
        #expect(!glob.matches(path + "/"))
        #expect(elapsed < 5.0, "took \(elapsed) s")
    }

    @Test func aWaiverWithAHugeGlobIsAPolicyError() throws {
        let directory = try TestPaths.temporaryDirectory()
        let policy = directory.appendingPathComponent("policy.yml")
        let yaml = """
            policy: p
            gates:
              - { name: g, metric: findings, max: 0 }
            waivers:
              - { rule: B101, paths: ["\(String(repeating: "a", count: 200_000))"], reason: r }
            """
        try Data(yaml.utf8).write(to: policy)
        let error = #expect(throws: PolicyError.self) { try PolicyLoader.load(path: policy.path) }
        #expect(String(describing: error).contains("at most 1024 are allowed"), "\(String(describing: error).prefix(300))")
    }
}
